import Foundation
import MigrationCore
import OpenSSLCrypto

extension SandboxState {
    /// `POST /_api/admin/users/export` after validation and quota: a new pending task.
    func createExport(_ request: ExportRequest) -> JSONValue {
        purgeExports()
        var fault = ExportFault()
        for rule in faults.exports where random.nextUnit() < rule.share {
            switch rule.kind {
            case .fail: if !fault.hang { fault.fail = true }
            case .hang: if !fault.fail { fault.hang = true }
            case .pageEdge:
                fault.pageEdgeUsers = rule.users
                fault.pageSize = rule.pageSize
            }
        }
        let task = ExportTask(id: ExportTask.newID(), createdAt: now, request: request, fault: fault)
        exports[task.id] = task
        if !fault.hang { exportQueue.append(task.id) }
        wakeExportWorker()
        return task.resultJSON(downloadURL: nil)
    }

    /// `GET /_api/admin/users/export/{id}`: the result with a freshly signed `download_url`
    /// (under `baseURL`) when it succeeded; nil when unknown or expired.
    func exportResult(id: String, baseURL: String) -> JSONValue? {
        purgeExports()
        guard let task = exports[id] else { return nil }
        var url: String?
        if let key = task.objectKey {
            let expires = now.adding(seconds: ExportTask.presignSeconds).nanoseconds
            url = baseURL + ExportObjects.pathPrefix + key + "?X-Amz-Expires=\(ExportTask.presignSeconds)&X-Sandbox-Expires-At=\(expires)"
                + "&X-Sandbox-Signature=" + objectSignature(key: key, expires: expires)
        }
        return task.resultJSON(downloadURL: url)
    }

    func objectSignature(key: String, expires: Int64) -> String {
        SHA256.hex(objectSecret + Array("\n\(key)\n\(expires)".utf8))
    }

    /// The file of a signed object URL, or why it is refused (checked on the sandbox clock).
    func objectFile(key: String, expires: String?, signature: String?) -> Result<String, ExportObjects.Refusal> {
        purgeExports()
        guard let expires, let at = Int64(expires), let signature, signature == objectSignature(key: key, expires: at) else {
            return .failure(.signature)
        }
        guard now.nanoseconds <= at else { return .failure(.expired) }
        guard exports.values.contains(where: { $0.objectKey == key }) else { return .failure(.missing) }
        return .success((exportDirectory as NSString).appendingPathComponent(key))
    }

    /// Drops tasks 24 h after creation (pending) or completion, with their files.
    func purgeExports() {
        let instant = now
        for (id, task) in exports where task.expiresAt <= instant {
            exports[id] = nil
            if let key = task.objectKey { try? FileManager.default.removeItem(atPath: (exportDirectory as NSString).appendingPathComponent(key)) }
        }
    }

    func resetExports() {
        exports = [:]
        exportQueue = []
        if let names = try? FileManager.default.contentsOfDirectory(atPath: exportDirectory) {
            for name in names { try? FileManager.default.removeItem(atPath: (exportDirectory as NSString).appendingPathComponent(name)) }
        }
    }

    // MARK: - Worker

    /// The next export to run (FIFO, one at a time), waiting while none is queued or the worker is paused.
    func nextExport() async -> (task: ExportTask, generation: Int)? {
        while true {
            if stopped { return nil }
            if !paused, !exportQueue.isEmpty {
                let id = exportQueue.removeFirst()
                guard let task = exports[id], task.expiresAt > now else { continue }
                return (task, generation)
            }
            await withCheckedContinuation { exportWaiter = $0 }
        }
    }

    /// One page of the worker's `ORDER BY created_at OFFSET offset LIMIT pageSize` (the store is in
    /// creation order), with the page-edge fault applied; nil after a reset.
    func exportPage(offset: Int, fault: ExportFault, generation: Int) -> (users: [SandboxUser], project: SandboxProject, now: Date)? {
        guard generation == self.generation else { return nil }
        let all = users.users
        let end = min(all.count, offset + fault.pageSize)
        guard offset < end else { return ([], project, now.date) }
        let edge = fault.pageEdgeUsers
        var page: [SandboxUser]
        if offset > 0, edge > 0 {
            // The tie around the edge comes back reversed: the previous page's last `edge` users
            // again, the first `edge` users of this page never.
            page = Array(all[(offset - edge)..<offset])
            if offset + edge < end { page += all[(offset + edge)..<end] }
            let full = min(all.count - offset, fault.pageSize)
            if page.count > full { page.removeLast(page.count - full) }
        } else {
            page = Array(all[offset..<end])
        }
        return (page, project, now.date)
    }

    /// Records the outcome of an export (the file is already in place under `objectKey`).
    func finishExport(id: String, generation: Int, objectKey: String?, error: APIError?) {
        guard generation == self.generation, exports[id] != nil else {
            if let objectKey { try? FileManager.default.removeItem(atPath: (exportDirectory as NSString).appendingPathComponent(objectKey)) }
            return
        }
        exports[id]!.completedAt = now
        exports[id]!.objectKey = objectKey
        exports[id]!.error = error
    }

    var projectID: String { project.projectID }

    func wakeExportWorker() {
        if let waiter = exportWaiter {
            exportWaiter = nil
            waiter.resume()
        }
    }
}
