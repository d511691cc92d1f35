/// SM-11, DM-4: every security defect open at a release, received by its date and affecting its
/// version, is reviewed in the release record's `open-issues-reviewed`.
public struct ReleaseOpenDefectsRule: Rule {
    public init() {}
    static let release = "kind: release\nid: REL-1\ntitle: R\nstatus: draft\nowner: a@example.com\nversion: \"2.3.1\"\ndate: 2026-05-01\n"
    static let defect = TriageDeadlineRule.defect.replacingOccurrences(of: "affected-versions: [\"1.0\"]\n", with: "")

    public static let description = RuleDescription(
        id: "release-open-defects", name: "Open defects not reviewed at release (SM-11)",
        summary: "A defect received on or before a release's date, whose affected-versions include the release's version, and that was not closed (resolved, not affected, false positive) before that date, must be listed in the release's open-issues-reviewed.",
        severity: .error,
        triggering: [
            RuleExample(["security/r.yaml": release + "open-issues-reviewed: []\n",
                         "security/d.yaml": defect + "received: 2026-04-06\naffected-versions: [\"2.3.1\"]\nanalysis: {state: exploitable}\n"]),
            RuleExample(["security/r.yaml": release + "open-issues-reviewed: []\n",
                         "security/d.yaml": defect + "received: 2026-04-06\naffected-versions: [\"<= 2.3.1\"]\nfixed: 2026-05-10\nanalysis: {state: resolved}\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/r.yaml": release + "open-issues-reviewed:\n  - defect: DEF-1\n    decision: deferred\n    rationale: Low impact.\n",
                         "security/d.yaml": defect + "received: 2026-04-06\naffected-versions: [\"2.0.0 - 2.3.1\"]\nanalysis: {state: exploitable}\n"]),
            RuleExample(["security/r.yaml": release + "open-issues-reviewed: []\n",
                         "security/d.yaml": defect + "received: 2026-04-06\naffected-versions: [\"2.3.0\"]\nanalysis: {state: exploitable}\n"]),
            RuleExample(["security/r.yaml": release + "open-issues-reviewed: []\n",
                         "security/d.yaml": defect + "received: 2026-05-06\naffected-versions: [\"2.3.1\"]\nanalysis: {state: exploitable}\n"]),
            RuleExample(["security/r.yaml": release + "open-issues-reviewed: []\n",
                         "security/d.yaml": defect + "received: 2026-04-06\ntriaged: 2026-04-07\naffected-versions: [\"2.3.1\"]\nanalysis: {state: not_affected, justification: code_not_present}\n"]),
        ])

    /// A defect as the gate reads it, prepared once (releases x defects would not scale).
    struct Candidate { var id: String; var received: String; var closedBefore: String?; var ranges: [String] }

    /// Defects that may be open at a release of one version: those of a plain version key, or one
    /// group of defects with the same ranged entries. Releases are visited in date order and the
    /// bucket's open set moves with them (a defect enters on its received date and leaves once
    /// closed before the release), so each defect enters and leaves once: never releases x defects.
    struct Bucket {
        let byReceived: [Int]
        let byClosed: [Int]
        var entered = 0, left = 0
        var open: Set<Int> = []

        init(_ members: [Int], _ candidates: [Candidate]) {
            byReceived = members.sorted { candidates[$0].received < candidates[$1].received }
            byClosed = members.filter { candidates[$0].closedBefore != nil }.sorted { candidates[$0].closedBefore! < candidates[$1].closedBefore! }
        }

        /// The members open on `date` (received on or before it, not closed before it); dates only grow.
        mutating func open(on date: String, _ candidates: [Candidate]) -> Set<Int> {
            while entered < byReceived.count, candidates[byReceived[entered]].received <= date {
                let index = byReceived[entered]
                if !(candidates[index].closedBefore.map { $0 < date } ?? false) { open.insert(index) }
                entered += 1
            }
            while left < byClosed.count, let closed = candidates[byClosed[left]].closedBefore, closed < date {
                open.remove(byClosed[left])
                left += 1
            }
            return open
        }
    }

    public func check(_ project: Project) -> [Finding] {
        // Defects whose affected-versions are plain versions are found by version; defects with the
        // same ranged entries (ranges, comparisons, `*`: a template's, a scanner's) form one group,
        // tried once per release version.
        var byVersion: [String: [Int]] = [:]
        var rangedGroups: [[String]: [Int]] = [:]
        var candidates: [Candidate] = []
        for defect in project.records where defect.kind == "defect" && defect.isCurrent {
            let facts = DefectFacts(defect)
            guard let id = defect.id, let received = facts.received else { continue }
            let ranges = (defect.node["affected-versions"]?.stringItems ?? []).map(\.value)
            let index = candidates.count
            candidates.append(Candidate(id: id, received: received, closedBefore: facts.isClosed ? facts.closedOn : nil, ranges: ranges))
            if ranges.allSatisfy(VersionRange.isPlainVersion) {
                for key in Set(ranges.map(VersionRange.key)) { byVersion[key, default: []].append(index) }
            } else {
                rangedGroups[ranges, default: []].append(index)
            }
        }
        let groups = rangedGroups.sorted { $0.value[0] < $1.value[0] }
        var groupsContaining: [String: [Int]] = [:]   // version key -> the groups one of whose entries holds it
        var versionBuckets: [String: Bucket] = [:]
        var groupBuckets: [Int: Bucket] = [:]
        var findings: [Finding] = []
        let releases = ReleaseFacts.all(project).enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        for release in releases {
            guard let version = release.version else { continue }
            var listed = Set<String>()
            if case .sequence(let items, _)? = release.record.node["open-issues-reviewed"] {
                for item in items { if let id = item["defect"]?.scalarString { listed.insert(id) } }
            }
            let key = VersionRange.key(version)
            let containing = groupsContaining[key] ?? {
                let found = groups.indices.filter { groups[$0].key.contains { VersionRange.contains($0, version) } }
                groupsContaining[key] = found
                return found
            }()
            var open: [Int] = []
            // The buckets are changed in place (a copy would copy their open sets).
            if let members = byVersion[key] {
                if versionBuckets[key] == nil { versionBuckets[key] = Bucket(members, candidates) }
                open += versionBuckets[key]!.open(on: release.date, candidates)
            }
            for group in containing {
                if groupBuckets[group] == nil { groupBuckets[group] = Bucket(groups[group].value, candidates) }
                open += groupBuckets[group]!.open(on: release.date, candidates)
            }
            for index in open.sorted() {
                let defect = candidates[index]
                guard !listed.contains(defect.id) else { continue }
                guard let range = defect.ranges.first(where: { VersionRange.contains($0, version) }) else { continue }
                findings.append(Self.description.finding(release.record.path, release.record.mark(of: "open-issues-reviewed"),
                    "\(defect.id) (received \(defect.received), affected-versions '\(range)') was open at this release of \(version) and is not in open-issues-reviewed; review it (fixed, deferred, accepted or not-affected)",
                    record: release.record.id))
            }
        }
        return findings
    }
}
