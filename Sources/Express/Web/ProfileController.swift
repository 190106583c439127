// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (OAuth and OpenID Connect wire names: form fields and JSON keys are snake_case by their standards.)

import ExpressDomain
import Foundation
import Platform
import Vapor

/// The user's own preferences.
struct ProfileController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("profile", use: show)
        routes.post("profile", use: save)
        routes.get("help", use: help)
    }

    struct Values: Codable {
        var displayName: String
        var timeZone: String
        var defaultMarket: String
        var pageSize: String
        var notifyAbout: String
        var notifyDelivery: String
    }

    struct Context: Encodable {
        var values: Values
        var errors: [String: String]
        var timeZones: [String]
        var markets: [String]
        var pageSizes: [String]
        /// The identity provider's page where the user turns two-step sign-in on or off.
        var securityURL: String
    }

    static let timeZones = [
        "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Chicago", "America/New_York",
    ]
    static let pageSizes = ["10", "25", "50", "100"]

    func context(_ values: Values, errors: [String: String]) async -> Context {
        let markets = (try? await service.markets().map(\.name)) ?? []
        return Context(
            values: values, errors: errors, timeZones: Self.timeZones, markets: markets, pageSizes: Self.pageSizes,
            securityURL: service.config.userIssuer + "/account/security")
    }

    func show(req: Request) async throws -> Response {
        let user = try req.user()
        let stored = try await service.preferences(user.id)
        let values = Values(
            displayName: stored.displayName ?? "", timeZone: stored.timeZone, defaultMarket: stored.defaultMarket ?? "",
            pageSize: String(stored.pageSize), notifyAbout: stored.notifyAbout, notifyDelivery: stored.notifyDelivery)
        return try await req.page(
            "profile", title: "Your profile", section: "profile", await context(values, errors: [:]))
    }

    struct Form: Content {
        var display_name: String?
        var time_zone: String?
        var default_market: String?
        var page_size: String?
        var notify_about: String?
        var notify_delivery: String?
    }

    func save(req: Request) async throws -> Response {
        let user = try req.user()
        let form = try req.content.decode(Form.self)
        let values = Values(
            displayName: (form.display_name ?? "").trimmingCharacters(in: .whitespaces), timeZone: form.time_zone ?? "",
            defaultMarket: form.default_market ?? "", pageSize: form.page_size ?? "",
            notifyAbout: form.notify_about ?? "", notifyDelivery: form.notify_delivery ?? "")
        var errors: [String: String] = [:]
        if values.displayName.count > 100 { errors["display_name"] = "Use at most 100 characters." }
        if !Self.timeZones.contains(values.timeZone) { errors["time_zone"] = "Choose a time zone from the list." }
        if !Self.pageSizes.contains(values.pageSize) { errors["page_size"] = "Choose 10, 25, 50 or 100." }
        if NotificationScope(rawValue: values.notifyAbout) == nil {
            errors["notify_about"] = "Choose which emails you want."
        }
        if NotificationDelivery(rawValue: values.notifyDelivery) == nil {
            errors["notify_delivery"] = "Choose when the emails arrive."
        }
        guard errors.isEmpty else {
            return try await req.page(
                "profile", title: "Your profile", section: "profile", await context(values, errors: errors),
                status: .unprocessableEntity)
        }
        let stored = try await service.preferences(user.id)
        stored.displayName = values.displayName.isEmpty ? nil : values.displayName
        stored.timeZone = values.timeZone
        stored.defaultMarket = values.defaultMarket.isEmpty ? nil : values.defaultMarket
        stored.pageSize = Int(values.pageSize) ?? 25
        stored.notifyAbout = values.notifyAbout
        stored.notifyDelivery = values.notifyDelivery
        try await service.write { db in try await stored.save(on: db) }
        req.flash("success", "Your preferences were saved.")
        return req.redirect(to: "/profile")
    }

    struct HelpContext: Encodable { var phone: String }

    func help(req: Request) async throws -> Response {
        try await req.page("help", title: "Help", section: "help", HelpContext(phone: service.config.supportPhone))
    }
}
