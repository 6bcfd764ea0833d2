/// The one background consumer: takes tasks FIFO across jobs and processes their records in order.
struct ImportWorker: Sendable {
    let state: SandboxState
    /// Sleep after each record, like a real server's per-record transaction time.
    let recordLatencyMilliseconds: Int

    /// Runs until the state is stopped.
    func run() async {
        while let work = await state.nextWork() {
            await runTask(work)
        }
    }

    private func runTask(_ work: SandboxState.Work) async {
        var limit = work.records.count
        switch work.fault {
        case .none: break
        case .crash(let after), .hang(let after): limit = min(after, work.records.count)
        }
        var details: [ImportDetail] = []
        details.reserveCapacity(limit)
        for (index, record) in work.records.prefix(limit).enumerated() {
            guard let detail = await state.process(record, index: index, work: work) else { break }
            details.append(detail)
            if recordLatencyMilliseconds > 0 {
                try? await Task.sleep(nanoseconds: UInt64(recordLatencyMilliseconds) * 1_000_000)
            }
        }
        switch work.fault {
        case .none: await state.finish(work, details: details, error: nil, hung: false)
        case .crash: await state.finish(work, details: nil, error: .unexpected, hung: false)
        case .hang: await state.finish(work, details: nil, error: nil, hung: true)
        }
    }
}
