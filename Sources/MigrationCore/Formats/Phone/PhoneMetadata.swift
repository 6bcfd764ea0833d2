import Foundation

/// libphonenumber's metadata tables, parsed once from `PhoneMetadataTable.text` at first use.
struct PhoneMetadata: Sendable {
    /// The process-wide tables (built lazily and thread-safely by Swift's `static let`).
    static let shared = PhoneMetadata(table: PhoneMetadataTable.text)

    /// Calling code → its territories in libphonenumber's order (main country first; "001" for non-geographic codes).
    let territoriesByCallingCode: [Int: [PhoneTerritory]]

    /// Every territory, grouped by calling code in libphonenumber's order (the index space of `tables`).
    let territoryList: [PhoneTerritory]
    /// The same metadata flattened for the per-record check. Its memory is never freed, so build
    /// `PhoneMetadata` once per process (as `shared` does).
    let tables: PhoneValidationTables
    /// Patterns outside `DigitRegex`'s dialect, which `tables` refers to by index.
    let fallbackPatterns: [PhonePattern]

    /// libphonenumber `getRegionCodeForCountryCode` + `getMetadataForRegionOrCallingCode`: the main territory.
    func mainTerritory(forCallingCode code: Int) -> PhoneTerritory? {
        territoriesByCallingCode[code]?.first
    }

    init(table: String) {
        var byCode: [Int: [PhoneTerritory]] = [:]
        var order: [Int: [String]] = [:]
        var compiled: [String: PhonePattern] = [:]
        var sources: [ObjectIdentifier: [String?]] = [:]  // territory → leading digits, prefix, 11 descriptions

        func pattern(_ source: Substring) -> PhonePattern? {
            if source.isEmpty { return nil }
            let key = String(source)
            if let cached = compiled[key] { return cached }
            let made = PhonePattern(key)
            compiled[key] = made
            return made
        }
        func lengths(_ source: Substring) -> [Int] {
            source.isEmpty ? [] : source.split(separator: ",").map { Int($0)! }
        }
        func desc(_ f: [Substring], _ at: Int) -> PhoneNumberDesc {
            PhoneNumberDesc(pattern: pattern(f[at]), possibleLengths: lengths(f[at + 1]), localOnlyLengths: lengths(f[at + 2]))
        }

        func source(_ field: Substring) -> String? { field.isEmpty ? nil : String(field) }
        // Split on bytes: the table is ASCII, and Character-based splitting costs milliseconds here.
        for lineBytes in table.utf8.split(separator: 0x0A) {
            let line = Substring(lineBytes)
            let f = lineBytes.split(separator: 0x09, omittingEmptySubsequences: false).map { Substring($0) }
            switch f.first {
            case "C":
                order[Int(f[1])!] = f[2].split(separator: ",").map(String.init)
            case "R":
                precondition(f.count == 7 + 33, "bad phone metadata line: \(line.prefix(40))")
                // Description order in the table: general, fixedLine, mobile, tollFree, premiumRate,
                // sharedCost, personalNumber, voip, pager, uan, voicemail.
                let descs = (0..<11).map { desc(f, 7 + 3 * $0) }
                let territory = PhoneTerritory(
                    regionCode: String(f[1]),
                    countryCallingCode: Int(f[2])!,
                    isMainCountryForCode: f[3] == "1",
                    leadingDigits: pattern(f[4]),
                    nationalPrefixForParsing: pattern(f[5]),
                    nationalPrefixTransformRule: f[6].isEmpty ? nil : String(f[6]),
                    general: descs[0],
                    numberTypes: Array(descs[1...])
                )
                byCode[territory.countryCallingCode, default: []].append(territory)
                sources[ObjectIdentifier(territory)] = [f[4], f[5]].map(source) + (0..<11).map { source(f[7 + 3 * $0]) }
            default:
                continue
            }
        }
        // Keep libphonenumber's region order per calling code (it decides region selection for +1, +44, +7 …).
        for (code, regions) in order {
            let list = byCode[code] ?? []
            byCode[code] = regions.compactMap { region in list.first { $0.regionCode == region } }
        }
        territoriesByCallingCode = byCode
        var builder = PhoneValidationTablesBuilder()
        var list: [PhoneTerritory] = []
        for code in byCode.keys.sorted() {
            for territory in byCode[code] ?? [] {
                let s = sources[ObjectIdentifier(territory)] ?? []
                builder.addTerritory(territory, leadingDigits: s[0], nationalPrefixForParsing: s[1], descSources: Array(s[2...]))
                list.append(territory)
            }
        }
        territoryList = list
        tables = builder.finish()
        fallbackPatterns = builder.fallbackPatterns
    }
}
