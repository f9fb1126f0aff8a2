/// What a device is, from its browser's User-Agent, for the creator's list of devices that
/// get alerts ("Chrome on Android"): enough to tell a phone from a laptop, nothing more.
struct DeviceName {
    let text: String

    init(userAgent: String) {
        // Order matters: Edge and Opera say Chrome too, Chrome says Safari, iPads say Mac.
        let browsers = [("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"),
                        ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
        let systems = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"), ("Mac OS X", "Mac"),
                       ("CrOS", "ChromeOS"), ("Linux", "Linux")]
        let browser = browsers.first { userAgent.contains($0.0) }?.1
        let system = systems.first { userAgent.contains($0.0) }?.1
        switch (browser, system) {
        case let (browser?, system?): text = "\(browser) on \(system)"
        case let (browser?, nil): text = browser
        case let (nil, system?): text = "A browser on \(system)"
        case (nil, nil): text = "A browser"
        }
    }
}
