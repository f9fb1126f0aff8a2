/// A paid plan a customer can buy once the free contacts are used up.
public struct Plan: Hashable, Sendable, Codable {
    public let id: Slug
    public let name: String
    public let amount: Money
    public let periodDays: Int

    public init(id: Slug, name: String, amount: Money, periodDays: Int) {
        self.id = id
        self.name = name
        self.amount = amount
        self.periodDays = periodDays
    }

    enum CodingKeys: String, CodingKey { case id, name, amountPaise = "amount_paise", periodDays = "period_days" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Slug.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        amount = Money(paise: try container.decode(Int.self, forKey: .amountPaise))
        periodDays = try container.decode(Int.self, forKey: .periodDays)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(amount.paise, forKey: .amountPaise)
        try container.encode(periodDays, forKey: .periodDays)
    }
}

/// `site.yml`: what the whole site is called, where it lives and how contacts are sold.
public struct SiteConfig: Sendable {
    public let title: String
    /// Absolute, without a trailing slash: `https://haat.example`.
    public let baseURL: String
    /// Where the pages' JavaScript finds the lead API, e.g. `/api/v1`.
    public let apiURL: String
    public let language: String
    public let freeContacts: Int
    public let plans: [Plan]
    public let tagline: String?
    public let description: String?

    public init(title: String, baseURL: String, apiURL: String = "/api/v1", language: String = "en",
                freeContacts: Int = 2, plans: [Plan] = [], tagline: String? = nil, description: String? = nil) {
        self.title = title
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiURL = apiURL
        self.language = language
        self.freeContacts = freeContacts
        self.plans = plans
        self.tagline = tagline
        self.description = description
    }
}
