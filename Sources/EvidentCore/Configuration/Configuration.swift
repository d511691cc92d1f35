import Foundation

/// The project file `.evident.yml`: product, records root, targets, exemptions, cadences, limits.
public struct Configuration: Sendable {
    public static let fileName = ".evident.yml"

    /// A requirement the team declares not applicable, with its reason and optional lapse date.
    public struct Exemption: Sendable, Hashable {
        public var requirement: String
        public var reason: String?
        public var until: String?
        public var mark: Mark
    }

    /// A person's other email addresses, for identity comparisons (with `.mailmap`).
    public struct Identity: Sendable, Hashable {
        public var email: String
        public var aliases: [String]
    }

    public var productName = "Unnamed product"
    public var productVersion: String?
    public var vendor: String?
    /// The vendor's web address (`product.vendor-url`): the CSAF publisher namespace.
    public var vendorURL: String?
    public var productDescription: String?
    /// Records root relative to the repository root, without a trailing slash.
    public var recordsRoot = "security"
    public var maturity = 3
    public var securityLevel: Int?
    public var exemptions: [Exemption] = []
    /// Review periods in months.
    public var cadences: [String: Int] = Configuration.defaultCadences
    public var sbomSchemas: [String: String] = [:]
    /// The SBOM completeness profile (`sbom-quality`), and the severity of its findings.
    public var sbomQuality: SBOMQualityProfile = .ntia
    public var sbomQualitySeverity: Severity = .warning
    public var identities: [Identity] = []
    public var limits = YAMLLimits()
    public var maxRecords = 200_000
    public var signatures = Signatures()

    /// `signatures:`: where the allowed-signers file is read, and what must be signed.
    public struct Signatures: Sendable, Hashable {
        public enum Requirement: String, Sendable, CaseIterable { case none, approvals, all }
        /// Repository path of the allowed-signers file; nil when not configured.
        public var allowedSigners: String?
        /// Repository path of a file of revoked public keys.
        public var revokedKeys: String?
        /// Repository path of an OpenPGP keyring (`gpg --export`): signatures by its keys are good.
        public var openPGPKeyring: String?
        /// The revision whose tree holds those files; nil: the judged tree.
        public var trustedRevision: String?
        public var require: Requirement = .none
        public var mark: Mark?
        public init() {}
    }
    /// Defect-handling policy (`policy:`): triage and fix deadlines per severity, the residual-risk threshold.
    public var policy = DefectPolicy()

    public static let defaultCadences = [
        "threat-model-review": 12, "defect-process-review": 12,
        "design-practices-review": 12, "coding-standard-review": 12,
        "improvement-review": 12, "training-refresh": 24,
    ]

    public init() {}
}

/// Something wrong in `.evident.yml`, at its position.
public struct ConfigProblem: Sendable, Hashable {
    public enum Kind: Sendable { case unknownKey, invalidValue }
    public var kind: Kind
    public var message: String
    public var mark: Mark
}

/// The configuration could not be read at all: `check` exits 2 naming why.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case malformed(path: String, mark: Mark, reason: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "\(path) not found: run 'evident init' to create it"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .malformed(let path, let mark, let reason):
            return "\(path):\(mark.line):\(mark.column): cannot read the configuration: \(reason)"
        }
    }
}

extension Configuration {
    private static let topLevelKeys: Set<String> = [
        "version", "product", "records", "maturity", "security-level", "not-applicable",
        "cadences", "sbom-schemas", "sbom-quality", "identities", "limits", "signatures", "policy",
    ]

    /// Parses `.evident.yml`. Syntax errors throw (nothing can be judged without it); unknown keys and
    /// bad values become problems at their position, and defaults stand in for bad values.
    public static func parse(_ data: Data, path: String = fileName) throws -> (Configuration, [ConfigProblem]) {
        let document = YAMLLoader.load(data)
        if let problem = document.problems.first {
            throw ConfigurationError.malformed(path: path, mark: problem.mark, reason: problem.message)
        }
        var config = Configuration()
        var problems: [ConfigProblem] = []
        guard let root = document.root else { return (config, problems) }
        guard case .mapping(let pairs, _) = root else {
            throw ConfigurationError.malformed(path: path, mark: root.mark, reason: "the configuration must be a mapping of keys to values")
        }
        func invalid(_ node: YAMLNode, _ message: String) {
            problems.append(ConfigProblem(kind: .invalidValue, message: message, mark: node.mark))
        }
        /// An unknown key, with the closest known one when it looks like a typo, else the known ones.
        func unknown(_ keyNode: YAMLNode, _ what: String, in place: String = "", known: [String]) {
            let name = keyNode.string ?? "?"
            let hint = SchemaFindingText.closest(name, in: known).map { "; did you mean '\($0)'?" }
                ?? " (known: \(known.sorted().joined(separator: ", ")))"
            problems.append(ConfigProblem(kind: .unknownKey, message: "unknown \(what) '\(name)'\(place)\(hint)", mark: keyNode.mark))
        }
        func integer(_ node: YAMLNode, key: String, range: ClosedRange<Int>) -> Int? {
            guard let text = node.string, case .int = YAMLScalar.CoreValue.resolve(text), let value = Int(text), range.contains(value) else {
                invalid(node, "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(node.string.map { "'\($0)'" } ?? "a \(node.typeName)")")
                return nil
            }
            return value
        }
        for pair in pairs {
            guard let key = pair.key.string else { continue }
            let value = pair.value
            switch key {
            case "version":
                if value.string != "1" { invalid(value, "'version' must be 1 (the only configuration version this evident reads)") }
            case "product":
                if let name = value.string {
                    config.productName = name
                } else if case .mapping(let productPairs, _) = value {
                    for productPair in productPairs {
                        switch productPair.key.string {
                        case "name": config.productName = productPair.value.string ?? config.productName
                        case "version": config.productVersion = productPair.value.string
                        case "vendor": config.vendor = productPair.value.string
                        case "vendor-url": config.vendorURL = productPair.value.string
                        case "description": config.productDescription = productPair.value.string
                        default:
                            unknown(productPair.key, "key", in: " in product", known: ["name", "version", "vendor", "description"])
                        }
                    }
                } else {
                    invalid(value, "'product' must be a name or a mapping with name, version and vendor")
                }
            case "records":
                guard let root = value.string, !root.isEmpty else { invalid(value, "'records' must be a folder path"); continue }
                let trimmed = root.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                let parts = trimmed.split(separator: "/")
                if root.hasPrefix("/") || parts.contains("..") || trimmed.isEmpty {
                    invalid(value, "'records' must be a folder inside the repository, not '\(root)'")
                } else {
                    config.recordsRoot = parts.filter { $0 != "." }.joined(separator: "/")
                }
            case "maturity":
                if let level = integer(value, key: key, range: 1...4) { config.maturity = level }
            case "security-level":
                if let level = integer(value, key: key, range: 1...4) { config.securityLevel = level }
            case "not-applicable":
                guard case .sequence(let items, _) = value else {
                    if value.string?.isEmpty == false || value.string == nil { invalid(value, "'not-applicable' must be a list of {requirement, reason, until}") }
                    continue
                }
                for item in items {
                    guard case .mapping(let itemPairs, _) = item, let requirement = item["requirement"]?.string else {
                        invalid(item, "each 'not-applicable' entry needs 'requirement' (and 'reason')")
                        continue
                    }
                    var exemption = Exemption(requirement: requirement, reason: nil, until: nil, mark: item["requirement"]?.mark ?? item.mark)
                    for itemPair in itemPairs {
                        switch itemPair.key.string {
                        case "requirement", "approved-by": break
                        case "reason":
                            exemption.reason = itemPair.value.string
                        case "until":
                            if let until = itemPair.value.string, DateText.isDate(until) {
                                exemption.until = until
                            } else {
                                invalid(itemPair.value, "'until' must be a date YYYY-MM-DD")
                            }
                        default:
                            unknown(itemPair.key, "key", in: " in a not-applicable entry", known: ["requirement", "reason", "until", "approved-by"])
                        }
                    }
                    config.exemptions.append(exemption)
                }
            case "cadences":
                guard case .mapping(let cadencePairs, _) = value else { invalid(value, "'cadences' must map a review to a period in months"); continue }
                for cadencePair in cadencePairs {
                    guard let name = cadencePair.key.string else { continue }
                    guard defaultCadences[name] != nil else {
                        unknown(cadencePair.key, "cadence", known: Array(defaultCadences.keys))
                        continue
                    }
                    if let months = integer(cadencePair.value, key: "cadences.\(name)", range: 1...120) { config.cadences[name] = months }
                }
            case "sbom-schemas":
                guard case .mapping(let schemaPairs, _) = value else { invalid(value, "'sbom-schemas' must map cyclonedx/spdx to schema file paths"); continue }
                for schemaPair in schemaPairs {
                    guard let name = schemaPair.key.string else { continue }
                    guard name == "cyclonedx" || name == "spdx" else {
                        unknown(schemaPair.key, "SBOM format", known: ["cyclonedx", "spdx"])
                        continue
                    }
                    if let file = schemaPair.value.string { config.sbomSchemas[name] = file } else { invalid(schemaPair.value, "a schema path is expected") }
                }
            case "sbom-quality":
                let profiles = SBOMQualityProfile.allCases.map(\.rawValue)
                func profile(_ node: YAMLNode) {
                    if let name = node.string, let chosen = SBOMQualityProfile(rawValue: name) {
                        config.sbomQuality = chosen
                    } else {
                        invalid(node, "'sbom-quality' profile must be one of \(profiles.joined(separator: ", "))")
                    }
                }
                if value.string != nil {
                    profile(value)
                } else if case .mapping(let qualityPairs, _) = value {
                    for qualityPair in qualityPairs {
                        switch qualityPair.key.string {
                        case "profile": profile(qualityPair.value)
                        case "severity":
                            if let text = qualityPair.value.string, let severity = Severity(rawValue: text) {
                                config.sbomQualitySeverity = severity
                            } else {
                                invalid(qualityPair.value, "'sbom-quality.severity' must be warning or error")
                            }
                        default: unknown(qualityPair.key, "key", in: " in sbom-quality", known: ["profile", "severity"])
                        }
                    }
                } else {
                    invalid(value, "'sbom-quality' must be a profile (\(profiles.joined(separator: ", "))) or a mapping with profile and severity")
                }
            case "identities":
                guard case .sequence(let items, _) = value else { invalid(value, "'identities' must be a list of {email, aliases}"); continue }
                for item in items {
                    guard let email = item["email"]?.string, item["name"] == nil || item["name"]?.string != nil else { invalid(item, "each identity needs an 'email'"); continue }
                    var aliases: [String] = []
                    if case .sequence(let aliasNodes, _)? = item["aliases"] { aliases = aliasNodes.compactMap(\.string) }
                    config.identities.append(Identity(email: email, aliases: aliases))
                }
            case "limits":
                guard case .mapping(let limitPairs, _) = value else { invalid(value, "'limits' must be a mapping"); continue }
                for limitPair in limitPairs {
                    guard let name = limitPair.key.string else { continue }
                    switch name {
                    case "file-size": if let v = integer(limitPair.value, key: "limits.file-size", range: 1...(1 << 30)) { config.limits.fileSize = v }
                    case "depth": if let v = integer(limitPair.value, key: "limits.depth", range: 2...1000) { config.limits.depth = v }
                    case "aliases": if let v = integer(limitPair.value, key: "limits.aliases", range: 0...10_000_000) { config.limits.aliasExpansion = v }
                    case "scalar-length": if let v = integer(limitPair.value, key: "limits.scalar-length", range: 1...(1 << 30)) { config.limits.scalarLength = v }
                    case "keys": if let v = integer(limitPair.value, key: "limits.keys", range: 1...10_000_000) { config.limits.keys = v }
                    case "records": if let v = integer(limitPair.value, key: "limits.records", range: 1...100_000_000) { config.maxRecords = v }
                    default:
                        unknown(limitPair.key, "limit", known: ["file-size", "depth", "aliases", "scalar-length", "keys", "records"])
                    }
                }
            case "signatures":
                guard case .mapping(let signaturePairs, _) = value else { invalid(value, "'signatures' must be a mapping (allowed-signers, trusted-rev, require)"); continue }
                config.signatures.mark = value.mark
                for signaturePair in signaturePairs {
                    guard let name = signaturePair.key.string else { continue }
                    let text = signaturePair.value.string
                    switch name {
                    case "allowed-signers", "revoked-keys", "openpgp-keyring":
                        guard let text, let normalized = RepositoryPath.normalize(text), !normalized.isEmpty, !text.hasPrefix("/") else {
                            invalid(signaturePair.value, "'signatures.\(name)' must be a file path inside the repository")
                            continue
                        }
                        switch name {
                        case "allowed-signers": config.signatures.allowedSigners = normalized
                        case "revoked-keys": config.signatures.revokedKeys = normalized
                        default: config.signatures.openPGPKeyring = normalized
                        }
                    case "trusted-rev":
                        guard let text, !text.isEmpty else { invalid(signaturePair.value, "'signatures.trusted-rev' must name a revision (tag, branch or commit)"); continue }
                        config.signatures.trustedRevision = text
                    case "require":
                        guard let text, let requirement = Signatures.Requirement(rawValue: text) else {
                            invalid(signaturePair.value, "'signatures.require' must be none, approvals or all")
                            continue
                        }
                        config.signatures.require = requirement
                    default:
                        problems.append(ConfigProblem(kind: .unknownKey, message: "unknown key 'signatures.\(name)' (allowed-signers, revoked-keys, openpgp-keyring, trusted-rev, require)", mark: signaturePair.key.mark))
                    }
                }
                if config.signatures.require != .none, config.signatures.allowedSigners == nil, config.signatures.openPGPKeyring == nil {
                    invalid(value, "'signatures.require: \(config.signatures.require.rawValue)' needs 'signatures.allowed-signers' (or 'openpgp-keyring'): without it no signature can be good")
                }
            case "policy":
                DefectPolicy.parse(value, into: &config.policy, problems: &problems)
            default:
                unknown(pair.key, "key", known: Array(topLevelKeys))
            }
        }
        return (config, problems)
    }
}

/// Calendar dates as records write them: YYYY-MM-DD, compared as text (ISO order is date order).
public enum DateText {
    public static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        guard (1...12).contains(month), year > 0 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    /// Today's date in UTC as YYYY-MM-DD.
    public static func string(from date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// A date moved by a number of months (clamped to the month's end).
    public static func adding(months: Int, to text: String) -> String? {
        let parts = text.prefix(10).split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12, newMonth = total % 12 + 1
        let leap = (newYear % 4 == 0 && newYear % 100 != 0) || newYear % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][newMonth - 1]
        return String(format: "%04d-%02d-%02d", newYear, newMonth, min(day, days))
    }
}
