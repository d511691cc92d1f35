/// `{"version":1,"threats":[{"id","record","title","status","requirements":[...],"tests":[...],"gaps":[...]}],
/// "requirements-without-threat":[...]}`.
public struct TraceJSONRenderer: TraceRenderer {
    public init() {}

    public func render(_ report: TraceReport) -> String {
        let threats: [Any] = report.threats.map { threat in
            [
                "id": threat.id, "record": threat.record, "title": threat.title, "status": threat.status,
                "requirements": threat.requirements.map { requirement -> [String: Any] in
                    ["id": requirement.id, "title": requirement.title.map { $0 as Any } ?? NSNull(), "status": requirement.status.map { $0 as Any } ?? NSNull()]
                },
                "tests": threat.tests.map { test -> [String: Any] in
                    ["report": test.report, "case": test.testCase, "title": test.title, "result": test.result,
                     "requirement": test.requirement.map { $0 as Any } ?? NSNull()]
                },
                "gaps": threat.gaps,
            ] as [String: Any]
        }
        return JSONOutput.string(["version": 1, "threats": threats, "requirements-without-threat": report.requirementsWithoutThreat] as [String: Any])
    }
}

import Foundation
