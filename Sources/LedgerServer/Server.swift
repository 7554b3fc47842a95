import Dispatch
import EventLog
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import Metrics
import NIOCore
import NIOSSL
import Prometheus
import Rehabilitation
import ServiceLifecycle
import Synchronization

/// How `recovery serve` was asked to run.
package struct ServerOptions: Sendable {
    package var host = "127.0.0.1"
    package var port = 8640
    package var tlsCertificate: String?
    package var tlsKey: String?
    package var allowPlaintext = false
    /// Seconds a connection may stay idle (sending nothing) before the server closes it.
    package var idleSeconds: Int64 = 30

    package init() {}

    /// Why these options must not run (exit 64), or nil. Plain HTTP is for loopback only, or
    /// behind a proxy that terminates TLS (`--allow-plaintext`).
    package func problem() -> String? {
        if (tlsCertificate == nil) != (tlsKey == nil) { return "give --tls-cert and --tls-key together" }
        guard (0 ... 65535).contains(port) else { return "the port must be 0–65535" }
        guard (1 ... 3600).contains(idleSeconds) else { return "--idle-timeout must be 1–3600 seconds" }
        for file in [tlsCertificate, tlsKey].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: file) {
            return "cannot read \(file)"
        }
        if tlsCertificate == nil, !isLoopback, !allowPlaintext {
            return "listening on \(host) without TLS would send tokens and participants' data in clear: give --tls-cert and --tls-key, or --allow-plaintext behind a TLS-terminating proxy"
        }
        return nil
    }

    var isLoopback: Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }
}

/// The ledger's HTTP service (docs/server.md): Hummingbird for HTTP and TLS, a ServiceGroup for
/// start and graceful shutdown, the write queue for group commits.
package enum LedgerServer {
    /// Serves `ledger` until SIGTERM or SIGINT, then stops accepting, finishes the requests in
    /// flight (their commits included) and returns. A second signal ends the process at once;
    /// LMDB leaves no half-applied commit behind.
    package static func run(ledger: Ledger, options: ServerOptions) async throws {
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        let logger = Logger(label: "recovery.serve")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let queue = WriteQueue(ledger: ledger)
        let draining = DrainFlag()
        let router = Router(context: LedgerContext.self)
        router.middlewares.add(RequestLog(logger: logger))
        router.get("/healthz") { _, context -> Response in
            context.caller.route = "GET /healthz"
            if draining.isSet { throw APIError.shuttingDown }
            return .json(.ok, .object([("status", .string("ok"))]))
        }
        router.get("/metrics") { _, context -> Response in
            context.caller.route = "GET /metrics"
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return .raw(.ok, bytes, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/openapi.yaml") { _, context -> Response in
            context.caller.route = "GET /openapi.yaml"
            return .raw(.ok, Array(OpenAPIDocument.text.utf8), contentType: "application/yaml")
        }
        let authenticator = Authenticator(ledger: ledger)
        let limiter = AttemptLimiter()
        let verifications = VerificationMemo()
        let signer = try? SigningKeyFile.read(path: SigningKeyFile.path(in: ledger.log.folder))
        if signer == nil { logger.warning("no signing key: the proof routes answer 503 until `recovery key create` and a restart") }
        API(ledger: ledger, queue: queue, authenticator: authenticator, limiter: limiter, draining: draining, verifications: verifications,
            signer: signer)
            .register(on: router)
        // The web pages (docs/web.md): the same ledger, queue, register and limiter.
        Web(ledger: ledger, queue: queue, authenticator: authenticator, limiter: limiter, draining: draining, sessions: SessionStore(),
            verifications: verifications, figuresCache: FiguresCache(), signer: signer, secureCookies: options.tlsCertificate != nil)
            .register(on: router)

        let http = HTTP1Channel.Configuration(idleTimeout: .seconds(options.idleSeconds))
        let server: HTTPServerBuilder
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            server = try .tls(.http1(configuration: http), tlsConfiguration: tls)
        } else {
            server = .http1(configuration: http)
        }
        let plaintextWarning = options.tlsCertificate == nil && !options.isLoopback
        let application = Application(
            router: router, server: server,
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")", "store": "\(ledger.log.folder)",
                                                    "tls": "\(options.tlsCertificate != nil)"])
                if plaintextWarning {
                    logger.warning("serving plain HTTP on a non-loopback address (--allow-plaintext): only behind a proxy that terminates TLS")
                }
            },
            logger: logger)

        // The second SIGTERM or SIGINT ends the process at once (the first starts the drain).
        let signals = Mutex(0)
        var sources: [any DispatchSourceSignal] = []
        for signal in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                let count = signals.withLock { count in
                    count += 1
                    return count
                }
                if count >= 2 { _exit(128 + signal) }
            }
            source.resume()
            sources.append(source)
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: application), .init(service: DrainWatch(draining: draining))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        // Every request has been answered; what is still queued (nothing, normally) is committed.
        queue.stop()
        logger.info("stopped")
        withExtendedLifetime(sources) {}
    }
}

/// Marks the server as draining as soon as graceful shutdown begins (503 for new requests on
/// connections still open); the group shuts it down before the application.
private struct DrainWatch: Service {
    let draining: DrainFlag

    func run() async throws {
        try? await gracefulShutdown()
        draining.set()
    }
}

/// Set once graceful shutdown has begun.
final class DrainFlag: Sendable {
    private let state = Atomic<Bool>(false)
    var isSet: Bool { state.load(ordering: .relaxed) }
    func set() { state.store(true, ordering: .relaxed) }
}
