import EnpingScenario

print(EnpingScenario.jsonLines(), terminator: "")
