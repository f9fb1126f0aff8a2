import Foundation
import HaatCore
import Mustache

/// A theme folder: Mustache templates in `templates/` and static assets in `assets/`.
/// Assets are published fingerprinted by content hash (`app.3f2a9c1e.css`) so a CDN can
/// cache them forever; templates reach them as `{{assets.app_css}}`.
public struct Theme: Sendable {
    public let folder: URL
    let library: MustacheLibrary
    /// Asset file name → published path (`app.css` → `/assets/app.3f2a9c1e.css`).
    public let assetPaths: [String: String]
    /// Published path → bytes.
    let assetFiles: [(path: String, data: Data)]
    /// Changes whenever a template or asset does.
    public let fingerprint: String
    /// Inline SVG icons from `icons/<name>.svg`, by name (categories name theirs).
    let icons: [String: String]

    /// `nameOrPath` is a name under `themes/` (relative to the current folder) or a path.
    public static func resolve(_ nameOrPath: String) -> URL {
        let direct = URL(fileURLWithPath: nameOrPath, isDirectory: true)
        if nameOrPath.contains("/") || FileManager.default.fileExists(atPath: direct.appendingPathComponent("templates").path) {
            return direct.standardizedFileURL
        }
        return URL(fileURLWithPath: "themes", isDirectory: true).appendingPathComponent(nameOrPath, isDirectory: true).standardizedFileURL
    }

    public init(folder: URL) async throws {
        self.folder = folder
        let templatesFolder = folder.appendingPathComponent("templates")
        guard FileManager.default.fileExists(atPath: templatesFolder.path) else {
            throw ContentErrors([ContentDiagnostic(path: templatesFolder.path, line: 1, message: "theme not found: expected a templates/ folder here (use --theme NAME under themes/ or a path)")])
        }
        FastHTMLEscaping.register
        do {
            library = try await MustacheLibrary(directory: templatesFolder.path)
        } catch let error as MustacheLibrary.ParserError {
            throw ContentErrors([ContentDiagnostic(path: templatesFolder.appendingPathComponent(error.filename).path,
                                                   line: error.context.lineNumber, message: "template error: \(error.error)")])
        }
        var paths: [String: String] = [:]
        var files: [(String, Data)] = []
        var digestInput = Data()
        let assetsFolder = folder.appendingPathComponent("assets")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: assetsFolder.path)) ?? []
        for name in names.sorted() where !name.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: assetsFolder.appendingPathComponent(name).path) else { continue }
            let hash = String(RevisionDigest.sha256(data).prefix(10))
            let ext = (name as NSString).pathExtension
            let stem = (name as NSString).deletingPathExtension
            let published = "/assets/\(stem).\(hash).\(ext)"
            paths[name] = published
            files.append((published, data))
            digestInput.append(Data(published.utf8))
        }
        for template in (try? FileManager.default.subpathsOfDirectory(atPath: templatesFolder.path))?.sorted() ?? [] {
            if let data = FileManager.default.contents(atPath: templatesFolder.appendingPathComponent(template).path) {
                digestInput.append(data)
            }
        }
        var icons: [String: String] = [:]
        let iconsFolder = folder.appendingPathComponent("icons")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: iconsFolder.path)) ?? [] where name.hasSuffix(".svg") {
            if let data = FileManager.default.contents(atPath: iconsFolder.appendingPathComponent(name).path) {
                icons[String(name.dropLast(4))] = String(decoding: data, as: UTF8.self)
                digestInput.append(data)
            }
        }
        self.icons = icons
        assetPaths = paths
        assetFiles = files
        fingerprint = RevisionDigest.sha256(digestInput)
    }

    /// `{{assets.app_css}}` for `app.css`.
    var assetContext: [String: String] {
        Dictionary(uniqueKeysWithValues: assetPaths.map { name, path in
            (name.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_"), path)
        })
    }

    func render(_ template: String, _ context: [String: Any]) throws -> String {
        guard let output = library.render(context, withTemplate: template) else {
            throw ContentErrors([ContentDiagnostic(path: folder.appendingPathComponent("templates/\(template).mustache").path, line: 1,
                                                   message: "template \"\(template)\" is missing from the theme")])
        }
        return output
    }
}
