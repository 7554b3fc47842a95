/// The free-text values of `data` (employers, courses, items, reasons), kept in one place so
/// events carry small indices and the JSON writer never has to escape anything.
enum Vocabulary {
    static let programs = ["community_detox", "community_rehab"]
    static let measureEndReasons = ["completed", "compulsory_isolation"]
    static let deregistrationReasons = ["moved_away", "deceased", "removed"]
    static let testResults = ["negative", "positive", "refused"]
    static let trainingKinds = ["vocational", "agricultural"]
    static let aidKinds = ["subsistence", "temporary"]
    static let jobKinds = ["enterprise", "self_employment", "public_welfare"]
    static let insuranceKinds = ["social", "medical"]

    /// Local employers (enterprise placements and subsidies).
    static let employers = [
        "恩平市宏达五金制品厂", "恩平市南方电声器材有限公司", "恩平市温泉度假村", "恩平市锦辉陶瓷有限公司",
        "恩平市大田农业合作社", "恩平市金丰食品厂", "恩平市华美服装厂", "恩平市君堂建材有限公司",
        "恩平市圣堂物流有限公司", "恩平市沙湖果蔬基地", "恩平市牛江竹木制品厂", "恩平市恩城商贸有限公司",
        "恩平市东成电子厂", "恩平市那吉茶场", "恩平市大槐养殖场", "恩平市良西机械厂",
    ]
    /// Employer of self-employment and public-welfare posts.
    static let selfEmployed = "个体经营"
    static let publicWelfare = "恩平市公益性岗位"

    static let courses = [
        "禁毒法律法规网课", "毒品危害认知", "心理健康与情绪管理", "家庭关系与沟通", "职业技能入门",
        "防艾知识", "健康生活方式", "拒毒技巧训练",
    ]
    static let items = ["大米10斤", "食用油5升"]
    static let itemPoints = [30, 50]

    /// Adjustment reasons with their deltas.
    static let adjustments: [(reason: String, delta: Int)] = [
        ("参加禁毒志愿服务", 5), ("协助社区禁毒宣传", 3), ("家属评价良好", 2),
        ("未按约定时间报到", -3), ("无故缺席帮教活动", -5),
    ]
    static let jobEndReasons = ["合同期满", "本人辞职", "企业裁员", "被强制隔离戒毒"]
    static let voidReasons = ["检测样本复检为阴性", "录入错误", "重复录入", "对象不符"]
}
