/// A problem with a whole source file: it cannot be opened, is not UTF-8, or is not any
/// supported format. Always names the path and, where known, the line, column and a snippet.
public struct SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var column: Int?
    public var message: String
    public var snippet: String?
    public var caretColumn: Int?
    /// What the operator can do about it.
    public var hint: String?

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String,
                snippet: String? = nil, caretColumn: Int? = nil, hint: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.snippet = snippet
        self.caretColumn = caretColumn
        self.hint = hint
    }

    /// An error located at a byte offset of `file`.
    /// The excerpt never shows a secret (see `ExcerptMasking`).
    public init(file: SourceFile, offset: Int, message: String, hint: String? = nil, masking: ExcerptMasking = .json) {
        let (line, column) = file.lineAndColumn(of: offset)
        let s = file.snippet(around: offset, masking: masking)
        self.init(path: file.path, line: line, column: column, message: message, snippet: s.text, caretColumn: s.caret, hint: hint)
    }

    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        text += ": \(message)"
        if let snippet {
            text += "\n    " + snippet
            if let caretColumn { text += "\n    " + String(repeating: " ", count: max(0, caretColumn - 1)) + "^" }
        }
        if let hint { text += "\n  hint: " + hint }
        return text
    }

    /// What a secret in an excerpt is printed as.
    public static let secretMask = "••••"

    /// The line around `offset` (at most 80 bytes either side) with control characters made
    /// visible and every secret masked (see `ExcerptMasker`), and the caret position in it. A
    /// caret that falls inside a masked value points at the mask's first character.
    static func snippet(_ bytes: UnsafeRawBufferPointer, around offset: Int, masking: ExcerptMasking = .json) -> (text: String, caret: Int) {
        let clamped = min(max(0, offset), bytes.count)
        var start = clamped
        while start > 0, bytes[start - 1] != 0x0A, clamped - start < 80 { start -= 1 }
        var end = clamped
        while end < bytes.count, bytes[end] != 0x0A, end - clamped < 80 { end += 1 }
        let secrets = ExcerptMasker.secretRanges(bytes, window: start..<end, masking: masking)
        var nextSecret = 0
        var text = ""
        var caret = 1
        var i = start
        while i < end {
            if nextSecret < secrets.count, secrets[nextSecret].lowerBound == i {
                let r = secrets[nextSecret]
                if r.contains(clamped) { caret = text.count + 1 }
                text += secretMask
                i = r.upperBound
                nextSecret += 1
                continue
            }
            let b = bytes[i]
            if i == clamped { caret = text.count + 1 }
            if b == 0x0D || b == 0x09 { text += " " }
            else if b < 0x20 || b == 0x7F { text += "\\x" + String(b, radix: 16) }
            else if b >= 0x80 {
                // Decode a whole scalar when valid, else show the byte.
                var len = 1
                while i + len < end, bytes[i + len] & 0xC0 == 0x80, len < 4 { len += 1 }
                let piece = UnsafeRawBufferPointer(rebasing: bytes[i..<(i + len)])
                if let s = String(validating: piece, as: UTF8.self) { text += s; i += len; continue }
                text += "\\x" + String(b, radix: 16)
            } else { text += String(UnicodeScalar(b)) }
            i += 1
        }
        if clamped >= end { caret = text.count + 1 }
        return (text, caret)
    }
}
