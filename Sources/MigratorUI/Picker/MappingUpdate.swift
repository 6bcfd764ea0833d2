import Foundation
import MigrationCore

/// The mapping step: a CSV's columns, or the rows of another system's preset.
enum MappingUpdate {
    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        let m = state.mapping
        if let c = Update.moved(m.selected, count: m.columns.count, page: 10, action) {
            state.mapping.selected = c
            return []
        }
        switch action {
        case .edit:
            guard m.columns.indices.contains(m.selected) else { return [] }
            let col = m.columns[m.selected]
            state.prompt = Prompt(.mappingTarget(header: col.header), label: "\(col.header) → field (empty = skip): ", text: col.field ?? "")
            return []
        case .skipColumn:
            guard m.columns.indices.contains(m.selected) else { return [] }
            let col = m.columns[m.selected]
            if let field = col.field {
                state.mapping.columns[m.selected].skippedField = field
                return setTarget(&state, header: col.header, field: "")
            }
            // Mapped again to what it had, never to its header's name unless that is a field.
            let header = col.header == "password_hash" ? "password.password_hash" : col.header
            guard let restored = col.skippedField ?? col.entry?.stringValue ?? col.entry?["field"]?.stringValue
                    ?? (m.preset || !MappingChoices.isField(header) ? nil : header) else {
                state.prompt = Prompt(.mappingTarget(header: col.header), label: "\(col.header) → field (empty = skip): ")
                state.status = .info("\(col.header) is no record field: type the field it fills")
                return []
            }
            return setTarget(&state, header: col.header, field: restored)
        case .addMappingRow:
            state.overlay = .menu(sourceMenu(m))
            return []
        case .removeMappingRow:
            guard m.columns.indices.contains(m.selected) else { return [] }
            guard m.columns.count > 1 else {
                state.status = .error("the mapping needs at least one row: change this one's field (Enter) instead")
                return []
            }
            let removed = state.mapping.columns.remove(at: m.selected)
            state.mapping.selected = min(m.selected, state.mapping.columns.count - 1)
            state.status = .info("removed \(removed.header) → \(removed.field ?? "(skipped)")")
            return [.previewMapping(path: m.path, columns: state.mapping.columns)]
        case .setConversion:
            guard m.columns.indices.contains(m.selected) else { return [] }
            let col = m.columns[m.selected]
            guard let field = col.field else {
                state.status = .error("\(col.header) is skipped: map it to a field first (Enter), then choose its \(m.preset ? "transform" : "type")")
                return []
            }
            let choices = MappingConversion.choices(preset: m.preset)
            let items = choices.map { ($0.isSet(in: col.entry) ? "✓ " : "  ") + $0.label(preset: m.preset, field: field) }
            state.overlay = .menu(Menu(title: (m.preset ? "Transform of " : "Type of ") + col.header, items: items,
                                       selected: choices.firstIndex { $0 != .none && $0.isSet(in: col.entry) } ?? 0,
                                       purpose: .mappingConversion(row: m.selected, choices: choices)))
            return []
        case .acceptMapping:
            return [.applyMapping(path: m.path, columns: m.columns)]
        case .back:
            state.screen = .picker
            return []
        default:
            return []
        }
    }

    /// A new row's source: the JSON pointers seen in the first records (the unmapped first),
    /// then "type one".
    static func sourceMenu(_ m: MappingState) -> Menu {
        let mapped = Dictionary(m.columns.map { ($0.header, $0.field ?? "(skipped)") }, uniquingKeysWith: { a, _ in a })
        let paths = m.preview.sourcePaths
        let items = paths.map { p in mapped[p].map { "\(p)  (→ \($0))" } ?? p } + ["other… (type a JSON pointer)"]
        return Menu(title: "Source of the new row", items: items, selected: paths.firstIndex { mapped[$0] == nil } ?? paths.count,
                    purpose: .mappingSource(paths: paths))
    }

    /// A new row's field: every record field (the one named like the source first), a custom attribute, or "type one".
    static func targetMenu(source: String) -> Menu {
        let fields = source.hasSuffix("*") ? ["custom_attributes.*", "address.*"] : MappingChoices.targetFields
        let items = fields + ["custom_attributes.… (type the attribute name)", "other… (type a field path)"]
        let last = JSONPointer(source)?.tokens.last ?? source
        func squashed(_ s: Substring) -> String { s.lowercased().replacingOccurrences(of: "_", with: "") }
        let guess = fields.firstIndex { squashed($0.split(separator: ".").last ?? "") == squashed(Substring(last)) }
        return Menu(title: "\(source) → field", items: items, selected: guess ?? 0, purpose: .mappingTarget(source: source, fields: fields))
    }

    /// A choice made in one of the mapping step's menus.
    static func menuChosen(_ state: inout AppState, _ menu: Menu) -> [Effect] {
        switch menu.purpose {
        case .mappingSource(let paths):
            guard paths.indices.contains(menu.selected) else {
                state.prompt = Prompt(.mappingSource, label: "source JSON pointer: ", text: "/")
                return []
            }
            state.overlay = .menu(targetMenu(source: paths[menu.selected]))
            return []
        case .mappingTarget(let source, let fields):
            if fields.indices.contains(menu.selected) { return addRow(&state, source: source, field: fields[menu.selected]) }
            let custom = menu.selected == fields.count
            state.prompt = Prompt(.mappingNewRow(source: source), label: "\(source) → field: ", text: custom ? "custom_attributes." : "")
            return []
        case .mappingConversion(let row, let choices):
            guard state.mapping.columns.indices.contains(row), choices.indices.contains(menu.selected) else { return [] }
            let choice = choices[menu.selected]
            let col = state.mapping.columns[row]
            if let ask = choice.asks(col.entry) {
                state.prompt = Prompt(.mappingOption(row: row, choice: choice), label: "\(col.header): " + ask.label, text: ask.text)
                return []
            }
            return setConversion(&state, row: row, choice, text: nil)
        default:
            return []
        }
    }

    /// A new row under the selected one: `source` → `field`, with no conversion yet.
    static func addRow(_ state: inout AppState, source: String, field: String) -> [Effect] {
        guard MappingChoices.isField(field) else {
            state.status = .error("\(field) is not a record field (e.g. email, name, custom_attributes.tier)")
            return []
        }
        let at = state.mapping.columns.isEmpty ? 0 : min(state.mapping.selected + 1, state.mapping.columns.count)
        state.mapping.columns.insert(MappingState.Column(header: source, field: field), at: at)
        state.mapping.selected = at
        return [.previewMapping(path: state.mapping.path, columns: state.mapping.columns)]
    }

    /// Row `row` converted by `choice` (`text`: what the choice asked for).
    static func setConversion(_ state: inout AppState, row: Int, _ choice: MappingConversion, text: String?) -> [Effect] {
        guard state.mapping.columns.indices.contains(row) else { return [] }
        let col = state.mapping.columns[row]
        state.mapping.columns[row].entry = choice.applied(to: col.entry, field: col.field, text: text)
        return [.previewMapping(path: state.mapping.path, columns: state.mapping.columns)]
    }

    static func setTarget(_ state: inout AppState, header: String, field: String) -> [Effect] {
        // The selected row first: an extended mapping can have several rows for one source pointer.
        let selected = state.mapping.selected
        let columns = state.mapping.columns
        guard let i = columns.indices.contains(selected) && columns[selected].header == header
            ? selected : columns.firstIndex(where: { $0.header == header }) else { return [] }
        if !field.isEmpty, !MappingChoices.isField(field) {
            state.prompt = Prompt(.mappingTarget(header: header), label: "\(header) → field (empty = skip): ", text: field)
            state.status = .error("\(field) is not a record field (e.g. email, name, custom_attributes.tier; empty skips the column)")
            return []
        }
        state.mapping.columns[i].field = field.isEmpty ? nil : field
        return [.previewMapping(path: state.mapping.path, columns: state.mapping.columns)]
    }
}
