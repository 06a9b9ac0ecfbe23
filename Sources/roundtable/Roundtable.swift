import ArgumentParser
import Foundation
import HubApp
import HubCore
import HubServices
import HubStorePostgres
import HubStoreSQLite
import Hummingbird
import Logging

/// The `roundtable` command: serve the hub, migrate the store, load demo data.
@main
struct Roundtable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roundtable",
        abstract: "Roundtable: the participation and collaboration hub for integrated social planning.",
        subcommands: [Serve.self, Migrate.self, SeedDemo.self, CreateAdmin.self,
                      Backup.self, Restore.self, Copy.self], // data commands: DataCommands.swift
        defaultSubcommand: Serve.self)
}

/// Options shared by every subcommand that opens the store.
struct CommonOptions: ParsableArguments {
    @Option(help: "Configuration file with KEY=value lines (default: $ROUNDTABLE_CONFIG).")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Folder for the SQLite database (default: ./data).")
    var dataDir: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    func load(extra: [String: String] = [:]) throws -> HubConfiguration {
        var flags = extra
        if let dataDir { flags["data-dir"] = dataDir }
        if let logLevel { flags["log-level"] = logLevel }
        let environment = ProcessInfo.processInfo.environment
        do {
            return try HubConfiguration.load(flags: flags, environment: environment, file: config ?? environment["ROUNDTABLE_CONFIG"])
        } catch let problems as HubConfiguration.Problems {
            throw ValidationError(problems.description)
        }
    }
}

enum Bootstrap {
    static func logger(_ configuration: HubConfiguration) -> Logger {
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            if configuration.logFormat == "json" { return JSONLogHandler(label: label, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        AppMetrics.bootstrap()
        return Logger(label: "roundtable")
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the hub (HTTP, WebSocket, web front end).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on (default: 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: 8080).")
    var port: Int?

    @Flag(help: "Load the demo data set into an empty store.")
    var demo = false

    @Option(name: .customLong("public-origin"), help: "Origin users reach the hub at, e.g. https://roundtable.kreis.example.")
    var publicOrigin: String?

    func run() async throws {
        var extra: [String: String] = [:]
        if let host { extra["host"] = host }
        if let port { extra["port"] = String(port) }
        if demo { extra["demo"] = "true" }
        if let publicOrigin { extra["public-origin"] = publicOrigin }
        var configuration = try common.load(extra: extra)
        let missing = configuration.locateAssets(executable: CommandLine.arguments[0])
        let logger = Bootstrap.logger(configuration)
        for warning in configuration.warnings + missing { logger.warning("\(warning)") }
        let graph = try await HubGraph.open(configuration: configuration, logger: logger)
        try await graph.prepareData()
        logger.info("serving", metadata: ["origin": "\(configuration.effectiveOrigin)",
                                          "store": "\(configuration.databaseURL == nil ? configuration.databasePath : "postgresql")"])
        do {
            try await graph.serve()
        } catch {
            await graph.shutdown()
            throw error
        }
        await graph.shutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let configuration = try common.load()
        let applied: [String]
        if let url = configuration.databaseURL {
            applied = try await PostgresStore.migrate(url: url, logger: Bootstrap.logger(configuration))
        } else {
            try FileManager.default.createDirectory(atPath: configuration.dataDir, withIntermediateDirectories: true)
            applied = try SQLiteStore.migrate(path: configuration.databasePath)
        }
        print(applied.isEmpty ? "Schema is up to date." : "Applied: \(applied.joined(separator: ", "))")
    }
}

struct SeedDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed-demo", abstract: "Load the demo data set into an empty store.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        var configuration = try common.load()
        configuration.demo = true
        let graph = try await HubGraph.open(configuration: configuration, logger: Bootstrap.logger(configuration))
        let loaded: Bool
        do {
            try await DemoData.ensurePolicyFields(graph.deps)
            loaded = try await DemoData.load(into: graph.deps, hasher: graph.hasher)
        } catch {
            await graph.shutdown()
            throw error
        }
        await graph.shutdown()
        print(loaded ? "Demo data loaded." : "The store already has users; demo data was not loaded.")
        if !loaded { throw ExitCode(3) }
    }
}

struct CreateAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Create an administrator account. The password is read from $ROUNDTABLE_ADMIN_PASSWORD or standard input.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Email address of the administrator.")
    var email: String

    @Option(name: .customLong("display-name"), help: "Name shown to others.")
    var displayName: String

    func run() async throws {
        let configuration = try common.load()
        let password = ProcessInfo.processInfo.environment["ROUNDTABLE_ADMIN_PASSWORD"] ?? readLine(strippingNewline: true) ?? ""
        let graph = try await HubGraph.open(configuration: configuration, logger: Bootstrap.logger(configuration))
        do {
            try await DemoData.ensurePolicyFields(graph.deps)
            let user = try await DemoData.createAdmin(email: email, displayName: displayName, password: password, into: graph.deps, hasher: graph.hasher)
            await graph.shutdown()
            print("Created administrator \(user.email) (\(user.id)).")
        } catch let error as DomainError {
            await graph.shutdown()
            throw ValidationError(([error.message] + error.fields.map { "\($0.field): \($0.message)" }).joined(separator: "\n"))
        } catch {
            await graph.shutdown()
            throw error
        }
    }
}
