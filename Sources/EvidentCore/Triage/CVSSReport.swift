import Vulnerabilities

/// `evident cvss VECTOR`: a vector's score and rating from the code the cvss-vector rule uses; v4.0
/// vectors in any metric order are read and written back in the specification's order.
public struct CVSSReport: Sendable {
    public var vector: CVSSVector
    public var score: Double

    /// The report of a vector, or why it was refused.
    public static func evaluate(_ text: String) -> Result<CVSSReport, CVSSError> {
        switch CVSSVector.parse(text.trimmingCharacters(in: .whitespaces), anyOrder: true) {
        case .failure(let error): return .failure(error)
        case .success(let vector):
            guard let score = vector.baseScore else { return .failure(.malformed("no score for this combination of metrics")) }
            return .success(CVSSReport(vector: vector, score: score))
        }
    }

    public var severity: String { CVSSVector.severity(of: score) }
    public var scoreText: String { String(format: "%.1f", score) }

    public func text() -> String { "\(vector.canonical)\n\(scoreText) \(severity)\n" }

    public func json() -> String {
        PlainJSON.pretty(["version": 1, "vector": vector.canonical, "cvss-version": vector.version.rawValue, "base-score": score, "severity": severity])
    }
}
