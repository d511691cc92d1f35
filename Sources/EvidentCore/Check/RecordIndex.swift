import Foundation

/// Where each record id stood in the working tree at the last load: `<cache>/record-ids.txt`, one
/// `ID<TAB>PATH` line per record, so that `log ID` opens one file instead of reading every record
/// when files are not named after their ids. A hint only: the reader checks the id in the file it
/// names, and a missing, stale or damaged index costs a full load, never a wrong answer.
enum RecordIndex {
    static let fileName = "record-ids.txt"

    /// Writes the index for the project's records, only when it differs from the one on disk.
    static func save(_ project: Project, directory: String) {
        // Written as bytes: Foundation's `String.contains(String)` took most of this phase's time.
        var data = Data()
        for record in project.records {
            guard let id = record.id, !id.utf8.contains(0x09), !id.utf8.contains(0x0A), !record.path.utf8.contains(0x0A) else { continue }
            data.append(contentsOf: id.utf8)
            data.append(0x09)
            data.append(contentsOf: record.path.utf8)
            data.append(0x0A)
        }
        let url = URL(fileURLWithPath: directory).appendingPathComponent(fileName)
        if (try? Data(contentsOf: url)) == data { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let temp = URL(fileURLWithPath: directory).appendingPathComponent(".tmp-ids-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            try data.write(to: temp)
            if rename(temp.path, url.path) != 0 { try? FileManager.default.removeItem(at: temp) }
        } catch {
            return
        }
    }

    /// The paths the index gives for an id, in path order (several when the id is duplicated).
    static func paths(for id: String, directory: String) -> [String] {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(fileName)) else { return [] }
        // Searched as bytes: "\nID\t" (or the file's start), then the path up to the end of the line.
        var text = Data([0x0A])
        text.append(data)
        let needle = Data(("\n" + id + "\t").utf8)
        var paths: [String] = []
        var from = text.startIndex
        while let found = text.range(of: needle, in: from..<text.endIndex) {
            let end = text[found.upperBound...].firstIndex(of: 0x0A) ?? text.endIndex
            paths.append(String(decoding: text[found.upperBound..<end], as: UTF8.self))
            from = end
        }
        return paths
    }
}
