import Foundation
import HubCore
import HubHTTP
import HubMail
import HubRealtime
import HubServices
import HubStorePostgres
import HubStoreSQLite
import Hummingbird
import HummingbirdWebSocket
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The object graph of one hub instance, wired in one place. `main` and the tests build it
/// the same way; tests pass an in-memory configuration and may reach into the parts.
public struct HubGraph: Sendable {
    public let configuration: HubConfiguration
    public let store: any HubStore
    public let hub: TopicHub
    public let deps: ServiceDependencies
    public let hasher: any PasswordHasher
    public let digest: any TokenDigest
    public let authenticator: Authenticator
    public let gateway: LiveGateway
    public let policy: SecurityPolicy
    public let totp: any TOTPGenerator
    public let mailer: any Mailer
    public let throttle: LoginThrottle
    /// One outbox per process, so meeting mail is flushed by one task at a time.
    public let meetingOutbox: MeetingMailOutbox
    public private(set) var settings: HTTPSettings
    public let logger: Logger

    /// Opens the configured store (SQLite in the data folder, or PostgreSQL when
    /// `ROUNDTABLE_DATABASE_URL` is set), runs migrations and builds every service.
    public static func open(configuration: HubConfiguration, clock: any HubServices.Clock = SystemClock(),
                            ids: any IDGenerator = RandomIDs(), logger: Logger) async throws -> HubGraph {
        guard let url = configuration.databaseURL else {
            return try HubGraph(configuration: configuration, clock: clock, ids: ids, logger: logger)
        }
        let hub = TopicHub(logger: logger, conflateInterval: .milliseconds(configuration.liveConflateMs))
        let store = try await PostgresStore.connect(url: url, logger: logger, observer: hub, clock: clock)
        return HubGraph(configuration: configuration, store: store, hub: hub, clock: clock, ids: ids, logger: logger)
    }

    /// The embedded default: SQLite in the data folder.
    public init(configuration: HubConfiguration, clock: any HubServices.Clock = SystemClock(), ids: any IDGenerator = RandomIDs(),
                logger: Logger) throws {
        try FileManager.default.createDirectory(atPath: configuration.dataDir, withIntermediateDirectories: true)
        let hub = TopicHub(logger: logger, conflateInterval: .milliseconds(configuration.liveConflateMs))
        let store = try SQLiteStore(path: configuration.databasePath, synchronousFull: configuration.synchronous == "full",
                                    clock: clock, observer: hub, logger: logger)
        self.init(configuration: configuration, store: store, hub: hub, clock: clock, ids: ids, logger: logger)
    }

    /// Builds every service around an open store whose commit observer is `hub`.
    public init(configuration: HubConfiguration, store: any HubStore, hub: TopicHub, clock: any HubServices.Clock,
                ids: any IDGenerator, logger: Logger) {
        hub.setEpoch(store.epoch)
        let deps = ServiceDependencies(store: store, clock: clock, ids: ids, logger: logger)
        let digest = SHA256TokenDigest()
        let policy = SecurityPolicy(adminSecondFactorRequired: configuration.adminSecondFactorRequired,
                                    idleTimeout: TimeInterval(configuration.sessionIdleMinutes) * 60,
                                    sessionLifetime: TimeInterval(configuration.sessionHours) * 3600)
        let authenticator = Authenticator(deps: deps, digest: digest, policy: policy)
        self.policy = policy
        self.totp = TOTP()
        if let host = configuration.smtpHost, let from = configuration.smtpFrom {
            self.mailer = SMTPMailer(settings: SMTPSettings(
                host: host, port: configuration.smtpPort, security: SMTPSettings.Security(rawValue: configuration.smtpSecurity) ?? .starttls,
                username: configuration.smtpUsername, password: configuration.smtpPassword, from: from, caFile: configuration.smtpCAFile),
                ids: ids, clock: clock, logger: logger)
        } else {
            self.mailer = NoMailer()
        }
        self.throttle = LoginThrottle()
        self.meetingOutbox = MeetingMailOutbox(deps: deps, mailer: self.mailer)
        self.configuration = configuration
        self.store = store
        self.hub = hub
        self.deps = deps
        self.hasher = BcryptHasher(cost: UInt8(configuration.bcryptCost))
        self.digest = digest
        self.authenticator = authenticator
        self.gateway = LiveGateway(hub: hub, store: store, authenticator: authenticator, clock: clock, logger: logger,
                                   boards: BoardTopics(deps: deps, digest: digest))
        self.settings = HTTPSettings(
            publicOrigin: configuration.effectiveOrigin, allowedOrigins: configuration.allowedOrigins,
            wsMaxMessageBytes: configuration.wsMaxMessageBytes, wsMessageRate: configuration.wsMessageRate,
            wsBufferEvents: configuration.wsBufferEvents, webRoot: configuration.webRoot,
            sessionLifetime: TimeInterval(configuration.sessionHours) * 3600)
        self.settings.trustForwardedFor = configuration.trustForwardedFor
        self.settings.wsWriter = HTTPSettings.WSWriter(rawValue: configuration.wsWriter) ?? .loop
        self.logger = logger
    }

    /// Long-running work next to the server: maintenance, session expiry, and on PostgreSQL
    /// the backplane that brings other instances' events to this one's subscribers.
    func backgroundServices() -> [any Service] {
        var services: [any Service] = [
            MaintenanceService(store: store, clock: deps.clock, retentionDays: configuration.eventRetentionDays, logger: logger,
                               reminders: ReportReminders(deps: deps, mailer: mailer, publicOrigin: configuration.effectiveOrigin),
                               panels: PanelMaintenance(deps: deps, crypto: SwiftCryptoPanelCrypto()),
                               meetings: { [self] in try await self.meetingServices().runPeriodic() },
                               boardGuests: BoardGuestMaintenance(deps: deps, days: configuration.boardGuestRetentionDays),
                               auditRetentionDays: configuration.auditRetentionDays),
            SessionExpiryService(hub: hub, store: store, policy: policy, clock: deps.clock),
        ]
        if let postgres = store as? PostgresStore { services.append(PostgresBackplane(store: postgres, hub: hub, logger: logger)) }
        return services
    }

    /// The meetings services; the link signer's key is the installation's own secret.
    public func meetingServices() async throws -> MeetingServices {
        MeetingServices(deps: deps, signer: HMACLinkSigner(secret: try await store.installationSecret("link-key")), digest: digest,
                        settings: MeetingSettings(publicOrigin: configuration.effectiveOrigin, organizerEmail: configuration.smtpFrom,
                                                  mailRetentionDays: configuration.mailRetentionDays),
                        outbox: meetingOutbox)
    }

    /// Serves until SIGTERM or SIGINT: the application, then (shut down first) the service that
    /// closes live connections with 1001 so the server does not wait for WebSocket clients.
    public func serve() async throws {
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: try await application()), .init(service: LiveShutdown(hub: hub, grace: .seconds(2), logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }

    /// Releases the store's connections (PostgreSQL); SQLite needs nothing.
    public func shutdown() async {
        if let postgres = store as? PostgresStore { await postgres.shutdown() }
    }

    /// First-start data: the policy fields always, the demo set when asked for.
    public func prepareData() async throws {
        try await DemoData.ensurePolicyFields(deps)
        if configuration.demo {
            let loaded = try await DemoData.load(into: deps, hasher: hasher)
            logger.info(loaded ? "demo data loaded" : "store has users; demo data not loaded")
        }
    }

    /// The HTTP router and the WebSocket upgrade router (tests enumerate their routes).
    public func routers() async throws -> (http: Router<HubRequestContext>, webSocket: Router<HubRequestContext>) {
        let decoyHash = try await hasher.hash(digest.newToken())
        let signIn = SignIn(deps: deps, hasher: hasher, digest: digest, throttle: throttle, policy: policy, decoyHash: decoyHash)
        let keyer = AddressKeyer(secret: try await store.installationSecret("address-key"))
        return HubRouter.build(HTTPDependencies(
            deps: deps, hub: hub, gateway: gateway, authenticator: authenticator, signIn: signIn,
            secondFactor: SecondFactor(deps: deps, totp: totp, digest: digest, throttle: throttle),
            account: Account(deps: deps, hasher: hasher, digest: digest),
            invitations: Invitations(deps: deps, digest: digest, hasher: hasher, mailer: mailer, policy: policy,
                                     publicOrigin: configuration.effectiveOrigin),
            passwordResets: PasswordResets(deps: deps, digest: digest, hasher: hasher, mailer: mailer, throttle: throttle,
                                           publicOrigin: configuration.effectiveOrigin),
            addressKeyer: keyer, settings: settings, metricsText: { AppMetrics.render() }, openAPIPath: configuration.openAPIPath, mailer: mailer,
            meetings: try await meetingServices()))
    }

    /// The Hummingbird application: routes, the WebSocket endpoint and background services.
    public func application() async throws -> some ApplicationProtocol {
        let routers = try await routers()
        return Application(
            router: routers.http,
            server: .http1WebSocketUpgrade(
                webSocketRouter: routers.webSocket,
                configuration: .init(ws: WebSocketServerConfiguration(
                    maxFrameSize: configuration.wsMaxMessageBytes, autoPing: .enabled(timePeriod: .seconds(30)), validateUTF8: true))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "roundtable",
                                 backlog: configuration.listenBacklog),
            services: backgroundServices(),
            logger: logger)
    }
}

/// Process-wide metrics: swift-metrics bootstrapped once with a Prometheus registry.
public enum AppMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    /// Idempotent; call before building the first graph.
    public static func bootstrap() { _ = bootstrapped }

    public static func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
