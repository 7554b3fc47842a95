import ArgumentParser
import Dispatch
import EventLog
import LedgerServer
import Rehabilitation

/// `recovery serve`: the ledger as an HTTP service (docs/server.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the ledger over HTTP(S) to the programme's identities (docs/server.md).")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Where to listen (default 127.0.0.1:8640; [::1]:PORT for IPv6).", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:8640"

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("The certificate chain (PEM) for HTTPS.", valueName: "PEM"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The certificate's private key (PEM).", valueName: "PEM"))
    var tlsKey: String?

    @Flag(help: "Allow plain HTTP on a non-loopback address (only behind a proxy that terminates TLS).")
    var allowPlaintext = false

    @Option(help: ArgumentHelp("Close a connection idle this long (default 30).", valueName: "SECONDS"))
    var idleTimeout: Int64 = 30

    func validate() throws {
        guard let options = try? serverOptions() else { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8640") }
        if let problem = options.problem() { throw ValidationError(problem) }
    }

    func serverOptions() throws -> ServerOptions {
        var options = ServerOptions()
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw ValidationError("--listen must be HOST:PORT")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--listen must name a host") }
        options.host = host
        options.port = port
        options.tlsCertificate = tlsCertificate
        options.tlsKey = tlsKey
        options.allowPlaintext = allowPlaintext
        options.idleSeconds = idleTimeout
        return options
    }

    func run() throws {
        let ledger = try storeOptions.openLedger()
        let options = try serverOptions()
        // The server is asynchronous; this command waits for it on the main thread.
        let done = DispatchSemaphore(value: 0)
        let outcome = ServeOutcome()
        Task {
            do { try await LedgerServer.run(ledger: ledger, options: options) } catch { outcome.error = "\(error)" }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw CLIFailure("the server stopped: \(error)", exitCode: .internalError) }
    }
}

/// How the server's task ended, handed back to the waiting main thread.
private final class ServeOutcome: @unchecked Sendable {
    // Written by the task before it signals, read by the main thread after the wait.
    var error: String?
}
