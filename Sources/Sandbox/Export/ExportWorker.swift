import Foundation
import MigrationCore

/// The export consumer (spec §7): one task at a time, paging the users by creation order and
/// appending each page's encoded records to a temporary file, so memory stays one page whatever
/// the number of users; then the file is put in the object store under its object key.
struct ExportWorker: Sendable {
    let state: SandboxState

    func run() async {
        while let (task, generation) = await state.nextExport() {
            await export(task, generation: generation)
        }
    }

    private func export(_ task: ExportTask, generation: Int) async {
        let directory = state.exportDirectory
        let temporary = (directory as NSString).appendingPathComponent("export-\(task.id).tmp")
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            await state.finishExport(id: task.id, generation: generation, objectKey: nil, error: .unexpected)
            return
        }
        var csv: ExportCSV?
        var offset = 0
        var buffer: [UInt8] = []
        while true {
            guard let page = await state.exportPage(offset: offset, fault: task.fault, generation: generation) else {
                try? handle.close()
                try? FileManager.default.removeItem(atPath: temporary)
                return
            }
            buffer.removeAll(keepingCapacity: true)
            if task.request.format == .csv, csv == nil {
                csv = ExportCSV(fields: task.request.fields, project: page.project)
                csv!.writeHeader(to: &buffer)
            }
            for user in page.users {
                let record = ExportRecord.make(user, project: page.project, now: page.now)
                if let csv {
                    csv.writeRow(record, to: &buffer)
                } else {
                    ExportRecord.writer.write(record, to: &buffer)
                    buffer.append(0x0A)
                }
            }
            do {
                try handle.write(contentsOf: buffer)
            } catch {
                try? handle.close()
                try? FileManager.default.removeItem(atPath: temporary)
                await state.finishExport(id: task.id, generation: generation, objectKey: nil, error: .unexpected)
                return
            }
            if page.users.count < task.fault.pageSize { break }
            offset += task.fault.pageSize
            await Task.yield()
        }
        try? handle.close()
        if task.fault.fail {
            try? FileManager.default.removeItem(atPath: temporary)
            await state.finishExport(id: task.id, generation: generation, objectKey: nil, error: .unexpected)
            return
        }
        let key = ExportTask.objectKey(projectID: await state.projectID, taskID: task.id, at: await state.now, format: task.request.format)
        do {
            try FileManager.default.moveItem(atPath: temporary, toPath: (directory as NSString).appendingPathComponent(key))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            await state.finishExport(id: task.id, generation: generation, objectKey: nil, error: .unexpected)
            return
        }
        await state.finishExport(id: task.id, generation: generation, objectKey: key, error: nil)
    }
}
