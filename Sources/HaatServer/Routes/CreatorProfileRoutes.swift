import Foundation
import HaatCore
import HaatImages
import HaatSite
import HaatStore
import Hummingbird
import NIOCore
import HaatContent

/// API.md "Creator profiles": a creator starts, reads and saves its profiles and their
/// portfolio images through `ProfileEditor`; every change is a pending revision. Role
/// `creator` only; another creator's profile is 404 on every route. Additive: a preview
/// of posted text rendered with the theme, and a preview-size copy of an image.
struct CreatorProfileRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator
    let editor: ProfileEditor
    let previews: PreviewTheme
    let limiter: any RequestLimiter
    let limits: ServerConfiguration.RateLimits

    static let sourceLimit = 256 * 1024
    static let imageLimit = 8 * 1024 * 1024
    static let imageTypes: [String: ImageInfo.Format] = ["image/jpeg": .jpeg, "image/png": .png, "image/webp": .webp]

    struct CreateBody: Decodable {
        let slug: String?
        let name: String?
        let category: String?
        let city: String?
    }

    struct SourceBody: Decodable {
        let text: String?
        let baseSHA256: String?
        enum CodingKeys: String, CodingKey { case text, baseSHA256 = "base_sha256" }
    }

    struct PreviewBody: Decodable {
        let text: String?
    }

    struct ImageItem: Encodable {
        let name: String
        let bytes: Int
        let width: Int
        let height: Int

        init(_ image: ProfileEditor.BundleImage) {
            name = image.name
            bytes = image.bytes
            width = image.width
            height = image.height
        }
    }

    struct SourceResponse: Encodable {
        let slug: String
        let text: String
        let contentSHA256: String
        let status: String
        let images: [ImageItem]
        /// Additive: the state of the current revision (pending, approved or rejected),
        /// beside the profile's overall `status`.
        let revisionStatus: String
        let changedSinceApproval: Bool
        /// Additive: why the profile was rejected or suspended.
        @OrNull var statusReason: String?
        /// Additive: the text as form fields (null if it no longer validates, e.g. after
        /// a category was removed from the catalog).
        @OrNull var profile: ProfileFieldsBody?
        enum CodingKeys: String, CodingKey {
            case slug, text, contentSHA256 = "content_sha256", status, images, revisionStatus = "revision_status",
                 changedSinceApproval = "changed_since_approval", statusReason = "status_reason", profile
        }
    }

    struct SavedResponse: Encodable {
        let slug: String
        let contentSHA256: String
        let status: String
        enum CodingKeys: String, CodingKey { case slug, contentSHA256 = "content_sha256", status }
    }

    struct PreviewResponse: Encodable {
        let html: String
        /// The posted text as form fields.
        let profile: ProfileFieldsBody
    }

    func register(on router: APIRouter) {
        // libvips starts here, once, before any request's thread uses it; if it cannot,
        // each upload says so.
        try? ResponsiveImages.start()
        router.on(.get, "creator/profiles", use: list)
        router.on(.post, "creator/profiles", use: create)
        router.on(.get, "creator/profiles/:slug/source", use: source)
        router.on(.put, "creator/profiles/:slug/source", use: save)
        router.on(.post, "creator/profiles/:slug/preview", use: preview)
        router.on(.post, "creator/profiles/:slug/images", use: upload)
        router.on(.get, "creator/profiles/:slug/images/:name", use: image)
        router.on(.delete, "creator/profiles/:slug/images/:name", use: deleteImage)
    }

    private func creator(for request: Request) async throws -> Account {
        try await authenticator.account(for: request, role: .creator, refusal: "Only creator accounts have profiles: sign up as a creator.")
    }

    /// The caller and the profile of the path, which must be the caller's (else 404).
    private func ownedProfile(_ request: Request, _ context: HaatRequestContext) async throws -> (Account, CreatorRecord) {
        let account = try await creator(for: request)
        let slug = context.parameters.get("slug") ?? ""
        return (account, try await mapped { try await editor.profile(slug, ownedBy: account.email) })
    }

    @Sendable func list(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await creator(for: request)
        // An account has at most a handful of profiles: one page, but the query is checked.
        _ = try ListQuery.parse(request)
        let records = try await store.creators(ownedBy: account.email.value)
        return try JSONResponse.make(ListBody(items: records.map(AdminCreatorRoutes.CreatorItem.init), nextCursor: nil))
    }

    @Sendable func create(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await creator(for: request)
        let body = try await JSONResponse.decode(CreateBody.self, from: request, context: context)
        var missing: [String] = []
        if body.slug == nil { missing.append("slug") }
        if body.name == nil { missing.append("name") }
        if body.category == nil { missing.append("category") }
        if body.city == nil { missing.append("city") }
        guard missing.isEmpty, let slug = body.slug, let name = body.name, let category = body.category, let city = body.city else {
            throw APIError.validation("\(missing.joined(separator: ", ")) required")
        }
        let record = try await mapped {
            try await editor.create(slug: slug, name: name, category: category, city: city, owner: account.email)
        }
        return try JSONResponse.make(AdminCreatorRoutes.CreatorItem(record), status: .created)
    }

    @Sendable func source(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (_, record) = try await ownedProfile(request, context)
        let text = try await editor.text(of: record)
        let images = editor.images(of: record.slug)
        let fields = try? parse(text, of: record, images: images).get()
        return try JSONResponse.make(SourceResponse(
            slug: record.slug.rawValue, text: text, contentSHA256: record.currentSHA256, status: record.status.rawValue,
            images: images.map(ImageItem.init), revisionStatus: record.currentState.rawValue,
            changedSinceApproval: record.changedSinceApproval, statusReason: record.statusReason, profile: fields.map(ProfileFieldsBody.init)))
    }

    @Sendable func save(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (_, record) = try await ownedProfile(request, context)
        let body = try await decodeLarge(SourceBody.self, request, limit: Self.sourceLimit, what: "A profile's text")
        guard let text = body.text, let base = body.baseSHA256 else {
            throw APIError.validation([body.text == nil ? "text" : nil, body.baseSHA256 == nil ? "base_sha256" : nil]
                .compactMap { $0 }.joined(separator: ", ") + " required")
        }
        let saved = try await mapped { try await editor.save(text, base: base, to: record) }
        return try JSONResponse.make(SavedResponse(slug: saved.slug.rawValue, contentSHA256: saved.currentSHA256, status: saved.currentState.rawValue))
    }

    @Sendable func preview(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (_, record) = try await ownedProfile(request, context)
        let body = try await decodeLarge(PreviewBody.self, request, limit: Self.sourceLimit, what: "A profile's text")
        guard let text = body.text else { throw APIError.validation("text required") }
        let catalog = try catalogOrFail()
        let images = editor.images(of: record.slug)
        switch parse(text, of: record, images: images, catalog: catalog) {
        case .failure(let errors):
            throw Self.invalidText(errors.diagnostics)
        case .success(let creator):
            let infos = Dictionary(uniqueKeysWithValues: images.map { ($0.name, $0.info) })
            let html = try await previews.preview().html(for: creator, images: infos, catalog: catalog) { name in
                "/api/v1/creator/profiles/\(record.slug)/images/\(name)"
            }
            return try JSONResponse.make(PreviewResponse(html: html, profile: ProfileFieldsBody(creator)))
        }
    }

    @Sendable func upload(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (account, record) = try await ownedProfile(request, context)
        let contentType = request.headers[.contentType].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let format = Self.imageTypes[contentType] else {
            throw APIError.validation("Content-Type must be image/jpeg, image/png or image/webp (was \(contentType.isEmpty ? "missing" : contentType))")
        }
        let requestedName = request.uri.queryParameters["name"].map(String.init) ?? ""
        guard !requestedName.isEmpty else { throw APIError.validation("name required: ?name=cake-1.jpg") }
        // Before the body is read and decoded; the editor refuses it again before writing.
        if let refusal = ImageName.refusal(of: requestedName) { throw APIError.validation(refusal) }
        let limit = limits.limit(limits.imagesPerAccount, per: limits.imageWindow)
        // Counted before the work, atomically: concurrent uploads cannot pass the limit.
        if let retry = try await limiter.hit("image-upload:\(account.id)", limit: limit) { throw APIError.rateLimited(retryAfter: retry) }
        let data: Data
        do {
            data = Data(buffer: try await request.body.collect(upTo: Self.imageLimit))
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge("An image may be at most 8 MiB: make it smaller (a phone's \"medium\" size is plenty).")
        }
        let cleaned: (data: Data, info: ImageInfo)
        do {
            cleaned = try await ImageWork.run { try UploadedImage.clean(data, as: format) }
        } catch let error as ImageError {
            throw APIError.validation("image: \(error.message)")
        }
        let stored = try await mapped { try await editor.addImage(cleaned.data, info: cleaned.info, requestedName: requestedName, to: record) }
        return try JSONResponse.make(ImageItem(stored), status: .created)
    }

    /// A preview-size JPEG of a profile's image, for the editor (the image itself is
    /// published only as variants, once approved).
    @Sendable func image(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (_, record) = try await ownedProfile(request, context)
        let name = context.parameters.get("name") ?? ""
        guard let data = editor.imageData(name, of: record.slug) else { throw APIError.notFound("This profile has no image \"\(name)\".") }
        return try await ImagePreview.response(for: data)
    }

    @Sendable func deleteImage(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (_, record) = try await ownedProfile(request, context)
        let name = context.parameters.get("name") ?? ""
        try await mapped { try await editor.deleteImage(name, of: record) }
        return JSONResponse.noContent()
    }

    // MARK: Helpers

    /// A JSON body larger than the usual 64 KiB (up to `limit`).
    private func decodeLarge<Body: Decodable>(_ type: Body.Type, _ request: Request, limit: Int, what: String) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge("\(what) may be at most \(limit / 1024) KiB.")
        }
        return try JSONResponse.decode(Body.self, from: Data(buffer: buffer))
    }

    /// `text` checked as the build checks it (without reading the images' bytes).
    private func parse(_ text: String, of record: CreatorRecord, images: [ProfileEditor.BundleImage], catalog: Catalog? = nil) -> Result<Creator, ContentErrors> {
        guard let catalog = catalog ?? (try? catalogOrFail()) else { return .failure(ContentErrors([])) }
        let path = editor.content.displayPath(editor.content.bundle(record.slug).index)
        return CreatorParser(catalog: catalog).parse(text: text, slug: record.slug, path: path, imageNames: Set(images.map(\.name)))
    }

    private func catalogOrFail() throws -> Catalog {
        switch editor.content.loadCatalog() {
        case .success(let catalog): return catalog
        case .failure(let errors): throw Self.invalidText(errors.diagnostics)
        }
    }

    /// 422 with every problem and its line; the message names the first.
    static func invalidText(_ diagnostics: [ContentDiagnostic]) -> APIError {
        let first = diagnostics.first.map { "line \($0.line): \($0.message)" } ?? "the text is not valid"
        let more = diagnostics.count > 1 ? " (and \(diagnostics.count - 1) more)" : ""
        return APIError(.unprocessableContent, code: "validation_failed", message: "text: \(first)\(more)",
                        details: diagnostics.map { APIError.LineProblem(line: $0.line, message: $0.message) })
    }

    /// Runs an editor call, turning its failures into API errors.
    @discardableResult
    private func mapped<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let failure as ProfileEditor.Failure {
            switch failure {
            case .notFound: throw APIError.notFound("You have no profile or image at this address.")
            case .conflict(let message): throw APIError(.conflict, code: "conflict", message: message)
            case .invalid(let message): throw APIError.validation(message)
            case .invalidText(let diagnostics): throw Self.invalidText(diagnostics)
            }
        }
    }
}
