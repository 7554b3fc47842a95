import Foundation
import Testing

/// `recovery report`: the year's report as one self-contained HTML file, printed to PDF by a
/// real browser (Debian's Chromium) and read back as text.
@Suite("Printed report")
struct PrintedReportTests {
    @Test("the report is self-contained HTML with the figures, the towns and six SVG charts; Chromium prints it to a PDF that says so")
    func report() throws {
        let store = try TemporaryStore().initialised()
        func record(_ arguments: [String]) throws {
            let outcome = try store.recovery(["record"] + arguments + ["--actor", "sw-1"])
            guard outcome.status == 0 else { throw CLITestFailure("record \(arguments): \(outcome.stderr)") }
        }
        try record(["enrolled", "P-1", "--program", "community_detox", "--town", "encheng", "--employable", "yes", "--at", "2021-03-01 09:00"])
        try record(["enrolled", "P-2", "--program", "community_rehab", "--town", "横陂镇", "--employable", "no", "--at", "2022-02-01 09:00"])
        try record(["aid-paid", "P-1", "--kind", "temporary", "--amount", "1200.00", "--at", "2022-05-01 09:00"])
        try record(["training-attended", "P-2", "--kind", "vocational", "--at", "2022-06-01 09:00"])
        let html = store.file("report-2022.html")
        let written = try store.recovery(["report", "--year", "2022", "--out", html.path, "--lang", "zh"])
        #expect(written.status == 0, "\(written.stderr)")
        let text = try String(contentsOf: html, encoding: .utf8)
        #expect(text.hasPrefix("<!DOCTYPE html>") && text.contains("恩平市 2022 年社区戒毒康复工作报告"))
        #expect(text.components(separatedBy: "<svg").count - 1 == 6, "registered, relapse, employment; aid, placements, training")
        #expect(text.contains("@page") && text.contains("size: A4"))
        // Self-contained: nothing is fetched from anywhere.
        #expect(text.range(of: #"(src|href)\s*=|url\(|@import"#, options: .regularExpression) == nil)
        #expect(text.contains("1,200.00 元") && text.contains("恩城街道") && text.contains("横陂镇"))
        let town = try store.recovery(["report", "--year", "2022", "--town", "hengpi", "--out", store.file("hengpi.html").path, "--lang", "en"])
        #expect(town.status == 0)
        #expect(try String(contentsOf: store.file("hengpi.html"), encoding: .utf8).contains("community rehabilitation report 2022"))
        #expect(try store.recovery(["report", "--year", "2022", "--out", store.file("report.txt").path]).status == 64)

        // Printed by a real browser, the PDF's text holds the title, a town and a figure.
        let pdf = store.file("report-2022.pdf")
        let printed = try RecoveryBinary.runProgram(
            URL(fileURLWithPath: "/usr/bin/chromium"),
            ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", html.absoluteString])
        #expect(printed.status == 0, "chromium: \(printed.stderr)")
        let extracted = try RecoveryBinary.runProgram(URL(fileURLWithPath: "/usr/bin/pdftotext"), ["-layout", pdf.path, "-"])
        #expect(extracted.status == 0)
        #expect(extracted.stdout.contains("恩平市 2022 年社区戒毒康复工作报告"), "\(extracted.stdout.prefix(500))")
        #expect(extracted.stdout.contains("横陂镇") && extracted.stdout.contains("趋势与分布"))
        #expect(extracted.stdout.contains("1,200.00"))
    }
}
