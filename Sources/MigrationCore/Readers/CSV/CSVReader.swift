import Foundation

/// Reads a CSV export into Authgear import records: header, mapping, then each row on demand.
public struct CSVReader: Sendable {
    /// What each column maps to.
    public let mapping: CSVMapping
    /// Offset of the first data row (after the BOM and header).
    public let dataStart: Int
    /// 1-based line number at `dataStart`.
    public let firstDataLine: Int

    /// Reads the header of `bytes` and builds the mapping; throws `CSVRowError` (bad header row)
    /// or `CSVMappingError` (duplicate headers, invalid mapping file).
    public init(bytes: UnsafeRawBufferPointer, mappingFile: JSONValue?) throws {
        let header = try CSVScanner.header(bytes)
        self.mapping = try CSVMapping(header: header.fields, mappingFile: mappingFile)
        self.dataStart = header.end
        self.firstDataLine = header.nextLine
    }

    /// The record for one row found by the scanner (`bytes` is the whole file).
    public func record(_ bytes: UnsafeRawBufferPointer, row: CSVRowRange) -> Result<JSONValue, CSVRowError> {
        let rowBytes = UnsafeRawBufferPointer(rebasing: bytes[row.start..<row.end])
        switch CSVRowParser.fields(rowBytes, line: row.line, expectedCount: mapping.columns.count) {
        case .success(let fields): return mapping.record(from: fields, line: row.line)
        case .failure(let error): return .failure(error)
        }
    }

    /// Scans every data row and hands `body` its range and record (or per-row error); return false to stop.
    public func forEachRecord(
        _ bytes: UnsafeRawBufferPointer, _ body: (CSVRowRange, Result<JSONValue, CSVRowError>) -> Bool
    ) -> CSVScanEnd {
        CSVScanner.scanRows(bytes, from: dataStart, startLine: firstDataLine) { row in
            body(row, record(bytes, row: row))
        }
    }
}
