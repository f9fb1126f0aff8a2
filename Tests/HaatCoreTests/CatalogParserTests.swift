import Testing
@testable import HaatCore

struct CatalogParserTests {
    func parse(site: String, categories: String = "cakes: {name: Cakes, description: d, icon: cake}\n",
               cities: String = "pune: {name: Pune, state: Maharashtra, localities: [Kothrud]}\n") -> Result<Catalog, ContentErrors> {
        CatalogParser.parse(.init(site: ("content/site.yml", site), categories: ("content/categories.yml", categories), cities: ("content/cities.yml", cities)))
    }

    @Test func readsDesignDocExample() throws {
        let catalog = try parse(site: """
            title: Haat Pune
            base_url: https://haat.example/
            api_url: /api/v1
            language: en
            free_contacts: 2
            plans:
              - {id: month, name: "One month", amount_paise: 9900, period_days: 30}
              - {id: year, name: "One year", amount_paise: 79900, period_days: 365}
            """).get()
        #expect(catalog.site.baseURL == "https://haat.example")
        #expect(catalog.site.plans.map(\.id.rawValue) == ["month", "year"])
        #expect(catalog.site.plans[1].amount == Money(paise: 79900))
        #expect(catalog.categories.map(\.name) == ["Cakes"])
        #expect(catalog.city(Slug("pune")!)?.localities == ["Kothrud"])
    }

    @Test func reportsEveryProblemInEveryFileWithLines() {
        guard case .failure(let errors) = parse(
            site: "title: Haat\nbase_url: haat.example\ntitel: x\n",
            categories: "cakes: {name: Cakes, descripton: d}\n",
            cities: "Pune: {name: Pune, state: MH}\n") else {
            Issue.record("expected errors")
            return
        }
        #expect(errors.diagnostics.map(\.description) == [
            "content/categories.yml:1: unknown key \"descripton\" in category cakes (did you mean \"description\"?)",
            "content/cities.yml:1: key \"Pune\" must be lowercase letters a-z, digits and '-', 2 to 64 characters",
            "content/site.yml:2: base_url must be an absolute http(s) URL such as https://haat.example",
            "content/site.yml:3: unknown key \"titel\" in site.yml (did you mean \"title\"?)",
        ])
    }

    func parse(searchWords: String) -> Result<Catalog, ContentErrors> {
        CatalogParser.parse(.init(site: ("content/site.yml", "title: Haat\nbase_url: https://haat.example\n"),
                                  categories: ("content/categories.yml", "cakes: {name: Cakes, description: d, icon: cake}\n"),
                                  cities: ("content/cities.yml", "pune: {name: Pune, state: Maharashtra, localities: [Kothrud]}\n"),
                                  searchWords: ("content/search-words.yml", searchWords)))
    }

    @Test func searchWordsMapWhatPeopleTypeToTheSitesWords() throws {
        let catalog = try parse(searchWords: "# other spellings\nmehndi: mehendi\nमेहंदी: mehendi\nKek: cake\n").get()
        #expect(catalog.searchWords == ["mehndi": "mehendi", "मेहंदी": "mehendi", "kek": "cake"])
        // No file: no words.
        #expect(try parse(site: "title: Haat\nbase_url: https://haat.example\n").get().searchWords.isEmpty)
    }

    @Test func searchWordsRefuseWhatTheSearchCannotUse() {
        guard case .failure(let errors) = parse(searchWords: "two words: cake\nmehndi: Mehendi\nhenna: two words\n") else {
            Issue.record("expected errors")
            return
        }
        #expect(errors.diagnostics.map(\.description) == [
            "content/search-words.yml:1: \"two words\" must be one word of at most 40 characters",
            "content/search-words.yml:2: \"mehndi\" must map to one lowercase word of a-z and 0-9, the way the site writes it",
            "content/search-words.yml:3: \"henna\" must map to one lowercase word of a-z and 0-9, the way the site writes it",
        ])
    }

    @Test func localitiesMayCarryCoordinates() throws {
        let catalog = try parse(site: "title: Haat\nbase_url: https://haat.example\n",
                                cities: "pune: {name: Pune, state: Maharashtra, localities: [Kothrud, {name: Baner, lat: 18.559, lon: 73.7868}]}\n").get()
        let pune = try #require(catalog.city(Slug("pune")!))
        #expect(pune.localities == ["Kothrud", "Baner"] && pune.coordinates == ["Baner": Coordinates(latitude: 18.559, longitude: 73.7868)])
        // Kothrud to Baner is about 6 km.
        let kothrud = Coordinates(latitude: 18.5074, longitude: 73.8077)
        #expect((5.5...6.5).contains(kothrud.kilometres(to: pune.coordinates["Baner"]!)))
        guard case .failure(let errors) = parse(site: "title: Haat\nbase_url: https://haat.example\n",
                                                cities: "pune:\n  name: Pune\n  state: Maharashtra\n  localities:\n    - {name: Baner, lat: 98}\n    - {name: Aundh, lat: north, lon: 73}\n    - {lat: 18, lon: 73}\n") else {
            Issue.record("expected errors")
            return
        }
        #expect(errors.diagnostics.map(\.description) == [
            "content/cities.yml:5: lat must be between -90.0 and 90.0, not 98.0",
            "content/cities.yml:5: locality Baner of pune needs both lat and lon, or neither",
            "content/cities.yml:6: lat must be a number, not \"north\"",
            "content/cities.yml:7: a locality of pune is missing \"name\"",
        ])
    }
}
