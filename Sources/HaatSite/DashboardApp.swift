import Foundation
import HaatCore

/// The creator dashboard as an installable app (issue 22): its web app manifest and its
/// service worker, rendered from the theme's `dashboard-manifest` and `dashboard-worker`
/// templates, and written at fixed paths under `/dashboard/`: a service worker controls
/// only the pages under its own folder, and both are fetched again by their URLs, so
/// neither can carry a fingerprint. The templates get `assets` (the fingerprinted paths)
/// and `json`, values already written as JSON, for the text a template must not escape
/// as HTML.
enum DashboardApp {
    static let manifestPath = "dashboard/manifest.webmanifest"
    static let workerPath = "dashboard/sw.js"
    /// What the dashboard page loads: the worker keeps these to open it offline.
    static let shellAssets = ["app.css", "app.js", "phone.js", "dashboard.js", "profile.js", "alerts.js", "favicon.svg", "icon-192.png"]

    static func files(theme: Theme, site: SiteConfig) throws -> [(path: String, data: Data)] {
        let shell = ["/dashboard/"] + shellAssets.compactMap { theme.assetPaths[$0] }
        let json: [String: String] = [
            "name": try text("\(site.title) for creators"),
            "shortName": try text(site.title),
            "description": try text("Your leads from \(site.title), as they come"),
            "language": try text(site.language),
            // A new theme is a new shell: the worker's cache name changes with it.
            "version": try text(String(theme.fingerprint.prefix(12))),
            "shell": try text(shell),
            // The API's path when the site serves it; reads from another origin are never kept.
            "api": try text(site.apiURL.hasPrefix("/") ? site.apiURL : "-"),
        ]
        let context: [String: Any] = ["assets": theme.assetContext, "json": json]
        return [
            (manifestPath, Data(try theme.render("dashboard-manifest", context).utf8)),
            (workerPath, Data(try theme.render("dashboard-worker", context).utf8)),
        ]
    }

    /// `value` as JSON.
    private static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
