/// Splits template bytes into segments and validates the result as a JSON object.
struct TemplateCompiler {
    let bytes: [UInt8]
    let name: String

    private static func isNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
             UInt8(ascii: "$"), UInt8(ascii: "+"):   // `$now+15m` (checked by `checkComputed`)
            return true
        default:
            return false
        }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    func error(_ message: String, at offset: Int) -> TemplateError {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return TemplateError(name: name, line: line, column: offset - lineStart + 1, message: message)
    }

    /// The segments, and the template as a JSON object with every placeholder replaced by a dummy scalar.
    func compile() throws(TemplateError) -> (segments: [PayloadTemplate.Segment], skeleton: JSONObject) {
        var segments: [PayloadTemplate.Segment] = []
        // The template with placeholders replaced by dummies, and each dummy byte's template offset.
        var dummy: [UInt8] = []
        var dummyOffsets: [Int] = []
        var literalStart = 0
        var inString = false
        var i = 0
        let n = bytes.count

        func copyLiteral(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            if case .literal(let previous)? = segments.last {
                segments[segments.count - 1] = .literal(previous + bytes[range])
            } else {
                segments.append(.literal(Array(bytes[range])))
            }
            dummy.append(contentsOf: bytes[range])
            dummyOffsets.append(contentsOf: range)
        }

        while i < n {
            let b = bytes[i]
            if inString && b == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if b == UInt8(ascii: "\"") {
                inString.toggle()
                i += 1
                continue
            }
            guard b == UInt8(ascii: "{"), i + 1 < n, bytes[i + 1] == UInt8(ascii: "{") else {
                i += 1
                continue
            }
            // A placeholder: {{ name }}
            let open = i
            var j = i + 2
            while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
            let nameStart = j
            while j < n, TemplateCompiler.isNameByte(bytes[j]) { j += 1 }
            let nameEnd = j
            while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
            guard nameEnd > nameStart, j + 1 < n, bytes[j] == UInt8(ascii: "}"), bytes[j + 1] == UInt8(ascii: "}") else {
                throw error("invalid placeholder: expected {{name}} with a field name made of letters, digits, '_', '.' or '-'", at: open)
            }
            let field = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
            try checkComputed(field, at: open)
            let close = j + 2
            copyLiteral(literalStart..<open)
            if inString {
                segments.append(.stringField(field))
            } else {
                try checkStandalone(open: open, close: close, field: field)
                segments.append(.valueField(field))
                dummy.append(UInt8(ascii: "0"))
                dummyOffsets.append(open)
            }
            i = close
            literalStart = close
        }
        copyLiteral(literalStart..<n)
        let skeleton = try validate(dummy: dummy, offsets: dummyOffsets)
        return (segments, skeleton)
    }

    /// `$` starts the name of a value computed when the push is sent (`SendTimeFields`): only `$now` and its offsets.
    private func checkComputed(_ field: String, at open: Int) throws(TemplateError) {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "+") }) else { return }
        guard SendTimeFields.nowOffset(placeholder: field) != nil else {
            throw error("unknown placeholder {{\(field)}}: the values computed when the push is sent are {{$now}} "
                + "(UNIX seconds) and offsets such as {{$now+15m}} or {{$now-30s}} (s, m, h or d, up to a year)", at: open)
        }
    }

    /// A value placeholder must be a whole JSON value: after ':', ',' or '[' and before ',', '}' or ']'.
    private func checkStandalone(open: Int, close: Int, field: String) throws(TemplateError) {
        var before = open - 1
        while before >= 0, TemplateCompiler.isSpace(bytes[before]) { before -= 1 }
        var after = close
        while after < bytes.count, TemplateCompiler.isSpace(bytes[after]) { after += 1 }
        let okBefore = before >= 0 && [UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "[")].contains(bytes[before])
        let okAfter = after < bytes.count && [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[after])
        guard okBefore && okAfter else {
            throw error("placeholder {{\(field)}} must be inside a string or be a whole value (after ':', ',' or '[', before ',', '}' or ']')", at: open)
        }
    }

    private func validate(dummy: [UInt8], offsets: [Int]) throws(TemplateError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(dummy)
        } catch {
            let offset = error.offset < offsets.count ? offsets[error.offset] : bytes.count
            throw self.error(error.message, at: offset)
        }
        guard case .object(let object) = value else {
            let first = bytes.firstIndex { !TemplateCompiler.isSpace($0) } ?? 0
            throw error("the template must be a JSON object, found \(value.kindDescription)", at: first)
        }
        return object
    }
}
