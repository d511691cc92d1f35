import Foundation

/// The process metrics an ML4 review reads: per quarter of the received date, how many defects and
/// the median days from received to triaged, to the first release carrying the fix, and to disclosed.
/// One computation for `evident defects`, `coverage` (every format) and the audit bundle's report.
public struct ProcessMetrics: Sendable, Equatable {
    /// Medians of one quarter (by received date); nil where no defect of the quarter has both dates.
    public struct Quarter: Sendable, Equatable {
        /// `YYYY-Qn`.
        public var quarter: String
        /// Current defect records received in the quarter.
        public var defects: Int
        public var medianDaysToTriage: Double?
        /// To the first release whose tag contains `fixed-in` (git), else the record's `released` date.
        public var medianDaysToFix: Double?
        public var medianDaysToDisclose: Double?

        public init(quarter: String, defects: Int, medianDaysToTriage: Double?, medianDaysToFix: Double?, medianDaysToDisclose: Double?) {
            self.quarter = quarter
            self.defects = defects
            self.medianDaysToTriage = medianDaysToTriage
            self.medianDaysToFix = medianDaysToFix
            self.medianDaysToDisclose = medianDaysToDisclose
        }
    }

    /// Oldest quarter first; quarters without a received defect are left out.
    public var quarters: [Quarter]

    public init(quarters: [Quarter] = []) { self.quarters = quarters }

    /// The metrics of every current defect record with a valid `received` date (closed or open).
    public static func of(_ project: Project) -> ProcessMetrics {
        let releases = ReleaseFacts.all(project)
        var byQuarter: [String: [DefectFacts]] = [:]
        for record in project.records where record.kind == "defect" && record.isCurrent {
            let facts = DefectFacts(record)
            guard let quarter = facts.received.flatMap(quarter(of:)) else { continue }
            byQuarter[quarter, default: []].append(facts)
        }
        return ProcessMetrics(quarters: byQuarter.keys.sorted().map { quarter in
            let defects = byQuarter[quarter] ?? []
            func median(_ end: (DefectFacts) -> String?) -> Double? {
                Self.median(defects.compactMap { facts in facts.received.flatMap { r in end(facts).flatMap { DayClock.days(from: r, to: $0) } } })
            }
            return Quarter(quarter: quarter, defects: defects.count,
                           medianDaysToTriage: median { $0.triaged },
                           medianDaysToFix: median { $0.firstRelease(project, releases: releases)?.date },
                           medianDaysToDisclose: median { $0.disclosed })
        })
    }

    /// `YYYY-Qn` of a `YYYY-MM-DD` date.
    static func quarter(of date: String) -> String? {
        guard let month = Int(date.dropFirst(5).prefix(2)), (1...12).contains(month) else { return nil }
        return "\(date.prefix(4))-Q\((month - 1) / 3 + 1)"
    }

    /// The middle value, or the mean of the two middle values of an even count; nil for none.
    static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// A median as people read it: whole days without a fraction, half days with one; `-` for none.
    public static func format(_ value: Double?, none: String = "-") -> String {
        guard let value else { return none }
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
