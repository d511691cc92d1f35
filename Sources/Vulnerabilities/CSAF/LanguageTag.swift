import Foundation

/// BCP 47 (RFC 5646) language tags, checked against the IANA Language Subtag Registry: the syntax of
/// section 2.1 and every language, extlang, script, region and variant subtag registered.
public enum LanguageTag {
    private static func set(_ text: String) -> Set<String> { Set(text.split(whereSeparator: \.isWhitespace).map(String.init)) }
    private static let languages = set(LanguageSubtagData.language)
    private static let extlangs = set(LanguageSubtagData.extlang)
    private static let scripts = set(LanguageSubtagData.script)
    private static let regions = set(LanguageSubtagData.region)
    private static let variants = set(LanguageSubtagData.variant)
    private static let grandfathered = set(LanguageSubtagData.grandfathered)

    private static func inRange(_ subtag: String, _ kind: String) -> Bool {
        (LanguageSubtagData.ranges[kind] ?? []).contains { subtag.count == $0.0.count && subtag >= $0.0 && subtag <= $0.1 }
    }

    /// Why `tag` is not a valid language tag, or nil when it is.
    public static func problem(_ tag: String) -> String? {
        let lower = tag.lowercased()
        if grandfathered.contains(lower) { return nil }
        let parts = lower.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty && $0.count <= 8 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) else {
            return "subtags are 1 to 8 letters or digits separated by '-'"
        }
        var i = 0
        if parts[0] == "x" { return parts.count > 1 ? nil : "private use needs a subtag after 'x'" }
        let language = parts[0]
        guard language.count >= 2, language.count <= 8, language.allSatisfy(\.isLetter) else {
            return "'\(language)' is not a language subtag"
        }
        guard languages.contains(language) || inRange(language, "language") else { return "'\(language)' is not a registered language" }
        i = 1
        var extlangCount = 0
        while i < parts.count, parts[i].count == 3, parts[i].allSatisfy(\.isLetter), extlangCount < 3 {
            guard extlangs.contains(parts[i]) else { return "'\(parts[i])' is not a registered extended language" }
            extlangCount += 1
            i += 1
        }
        if i < parts.count, parts[i].count == 4, parts[i].allSatisfy(\.isLetter) {
            guard scripts.contains(parts[i]) || inRange(parts[i], "script") else { return "'\(parts[i])' is not a registered script" }
            i += 1
        }
        if i < parts.count, (parts[i].count == 2 && parts[i].allSatisfy(\.isLetter)) || (parts[i].count == 3 && parts[i].allSatisfy(\.isNumber)) {
            guard regions.contains(parts[i]) || inRange(parts[i], "region") else { return "'\(parts[i])' is not a registered region" }
            i += 1
        }
        var seenVariants: Set<String> = []
        while i < parts.count, parts[i].count >= 5 || (parts[i].count == 4 && parts[i].first?.isNumber == true) {
            guard variants.contains(parts[i]) else { return "'\(parts[i])' is not a registered variant" }
            guard seenVariants.insert(parts[i]).inserted else { return "variant '\(parts[i])' repeated" }
            i += 1
        }
        var seenExtensions: Set<String> = []
        while i < parts.count, parts[i].count == 1, parts[i] != "x" {
            guard seenExtensions.insert(parts[i]).inserted else { return "extension '\(parts[i])' repeated" }
            i += 1
            let start = i
            while i < parts.count, parts[i].count >= 2 { i += 1 }
            guard i > start else { return "extension '\(parts[start - 1])' has no subtags" }
        }
        if i < parts.count, parts[i] == "x" {
            return i + 1 < parts.count ? nil : "private use needs a subtag after 'x'"
        }
        return i == parts.count ? nil : "unexpected subtag '\(parts[i])'"
    }
}
