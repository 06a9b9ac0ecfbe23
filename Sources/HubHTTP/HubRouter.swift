import Foundation
import HubCore
import HubRealtime
import HubServices
import Hummingbird
import HummingbirdWebSocket
import Logging

/// Everything the transport needs, handed over by the composition root.
public struct HTTPDependencies: Sendable {
    public let deps: ServiceDependencies
    public let hub: TopicHub
    public let gateway: LiveGateway
    public let authenticator: Authenticator
    public let signIn: SignIn
    public let secondFactor: SecondFactor
    public let account: Account
    public let invitations: Invitations
    public let passwordResets: PasswordResets
    public let addressKeyer: AddressKeyer
    public let settings: HTTPSettings
    public let metricsText: @Sendable () -> String
    public let openAPIPath: String
    /// For the feedback panels' response notices.
    public let mailer: any Mailer
    /// Meetings (issue 4); built by the composition root with the link signer.
    public var meetings: MeetingServices?

    public init(deps: ServiceDependencies, hub: TopicHub, gateway: LiveGateway, authenticator: Authenticator, signIn: SignIn,
                secondFactor: SecondFactor, account: Account, invitations: Invitations, passwordResets: PasswordResets, addressKeyer: AddressKeyer,
                settings: HTTPSettings, metricsText: @escaping @Sendable () -> String, openAPIPath: String, mailer: any Mailer = NoMailer(),
                meetings: MeetingServices? = nil) {
        self.mailer = mailer
        self.deps = deps
        self.hub = hub
        self.gateway = gateway
        self.authenticator = authenticator
        self.signIn = signIn
        self.secondFactor = secondFactor
        self.account = account
        self.invitations = invitations
        self.passwordResets = passwordResets
        self.addressKeyer = addressKeyer
        self.settings = settings
        self.metricsText = metricsText
        self.openAPIPath = openAPIPath
        self.meetings = meetings
    }
}

/// Builds the HTTP router and the WebSocket upgrade router with the same middleware chain.
public enum HubRouter {
    public static func build(_ d: HTTPDependencies) -> (http: Router<HubRequestContext>, webSocket: Router<HubRequestContext>) {
        let http = Router(context: HubRequestContext.self)
        addMiddleware(to: http, d, serveFiles: true)
        OpsController(store: d.deps.store, metricsText: d.metricsText, openAPIPath: d.openAPIPath).add(to: http)
        SessionController(signIn: d.signIn, signOut: SignOut(deps: d.deps), secondFactor: d.secondFactor, store: d.deps.store, hub: d.hub,
                          settings: d.settings).add(to: http)
        AccountController(account: d.account, secondFactor: d.secondFactor, store: d.deps.store, hub: d.hub).add(to: http)
        InvitationController(invitations: d.invitations, settings: d.settings).add(to: http)
        PasswordResetController(resets: d.passwordResets).add(to: http)
        AdminController(administration: Administration(deps: d.deps), organizations: Organizations(deps: d.deps),
                        passwordResets: d.passwordResets).add(to: http)
        PolicyFieldController(queries: PolicyFieldQueries(deps: d.deps), setPriorities: SetPolicyFieldPriorities(deps: d.deps)).add(to: http)
        WorkspaceController(queries: WorkspaceQueries(deps: d.deps), create: CreateWorkspace(deps: d.deps), update: UpdateWorkspace(deps: d.deps),
                            archive: SetWorkspaceArchived(deps: d.deps), setMember: SetMember(deps: d.deps),
                            removeMember: RemoveMember(deps: d.deps), settings: d.settings).add(to: http)
        RecommendationController(deps: d.deps, settings: d.settings).add(to: http)
        CatalogueController(deps: d.deps).add(to: http)
        OParlController(deps: d.deps, settings: d.settings).add(to: http)
        DossierController(deps: d.deps).add(to: http)
        PanelController(panels: Panels(deps: d.deps, crypto: SwiftCryptoPanelCrypto(), mailer: d.mailer, publicOrigin: d.settings.publicOrigin),
                        submissions: PanelSubmissions(deps: d.deps, crypto: SwiftCryptoPanelCrypto()), settings: d.settings, ids: d.deps.ids).add(to: http)
        LeanCoffeeController(service: LeanCoffeeService(deps: d.deps, digest: SHA256TokenDigest()), settings: d.settings).add(to: http)
        BarcampController(service: BarcampService(deps: d.deps, digest: SHA256TokenDigest()), settings: d.settings).add(to: http)
        if let m = d.meetings { MeetingController(meetings: m.meetings, work: m.work, outbox: m.outbox, settings: d.settings).add(to: http) }
        if let m = d.meetings {
            MeetingSeriesController(series: MeetingSeriesService(meetings: m.meetings), outbox: m.outbox, settings: d.settings).add(to: http)
        }
        // Unknown API paths are a JSON 404, never the web page.
        http.get("/api/**") { _, _ -> Response in throw HTTPError(.notFound) }

        let webSocket = Router(context: HubRequestContext.self)
        addMiddleware(to: webSocket, d, serveFiles: false)
        LiveController(gateway: d.gateway, settings: d.settings).add(to: webSocket)
        return (http, webSocket)
    }

    static func addMiddleware(to router: Router<HubRequestContext>, _ d: HTTPDependencies, serveFiles: Bool) {
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware(settings: d.settings))
        router.add(middleware: ErrorMiddleware())
        if serveFiles {
            router.add(middleware: HiddenPathsMiddleware())
            router.add(middleware: FileMiddleware(d.settings.webRoot, cacheControl: .init([(MediaType(type: .any), [.noCache])]),
                                                  searchForIndexHtml: true))
        }
        router.add(middleware: AuthenticationMiddleware(authenticator: d.authenticator, settings: d.settings, addressKeyer: d.addressKeyer))
    }
}
