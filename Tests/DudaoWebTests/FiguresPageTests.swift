import Foundation
import Synchronization
import Testing
import DudaoCore
import DudaoTestSupport

/// The figures and the documents in the console: the 指标 page (an SVG chart, every name
/// escaped), the big screen, the report's downloads (the figures as an Excel workbook of
/// numbers), the 督查通报 issued by a clerk's POST (numbered once, the same number again,
/// audited), the 文号 register linking each 督办通知单 to its message, the attachment as sent;
/// hostile and mistaken requests answered in words; then the same pages in Chromium at
/// 1280 px and on a 390 px phone (the screenshots in docs/console/).
@Suite(.serialized) struct FiguresPageTests {
    @Test func figuresScreenDownloadsAndTheRegister() throws {
        let f = try WebFixture()
        // An agency whose name is markup: shown as text everywhere, in the SVG too.
        let agencies = f.schedules.appendingPathComponent("agencies.yaml")
        try Data((try String(contentsOf: agencies, encoding: .utf8) + "  - name: \"市<b>&局\"\n    contacts: [{name: 联络员, email: b@zhengzhou.example}]\n").utf8).write(to: agencies)
        let list = f.schedules.appendingPathComponent("list.yaml")
        try Data((try String(contentsOf: list, encoding: .utf8) + "  - {id: \"4\", title: 标记单位事项, lead: [\"市<b>&局\"], due_text: \"2025年12月\"}\n").utf8).write(to: list)
        _ = try f.addUser("经办", role: "clerk")
        _ = try f.addUser("领导", role: "leader")
        for day in ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"] {
            let r = try f.dudao(["run", "--once", "--now", "\(day)T10:00:00+08:00", "--public-url", f.url])
            #expect(r.status == 0, "\(day): \(r.err)")
        }
        let server = try f.startServer()
        defer { f.stop(server) }
        let circular = f.base.appendingPathComponent("circular.docx").path
        let again = f.base.appendingPathComponent("again.docx").path
        let workbook = f.base.appendingPathComponent("figures.xlsx").path
        let sent = f.base.appendingPathComponent("sent.docx").path
        let pages = try f.browse(WebFixture.login("经办") + [
            WebFixture.get("/figures"),                                                         // 2
            WebFixture.get("/figures?period=month&day=" + String(repeating: "9", count: 5000)),  // 3
            WebFixture.get("/screen"),                                                          // 4
            WebFixture.get("/report"),                                                          // 5
            ["method": "POST", "path": "/report/circular", "fields": ["csrf": "@csrf", "period": "week", "day": "2026-12-01"], "save": circular], // 6
            WebFixture.get("/figures"),                                                         // 7
            ["method": "POST", "path": "/report/circular", "fields": ["csrf": "@csrf", "period": "week", "day": "2026-12-01"], "save": again],    // 8
            ["method": "GET", "path": "/report/download?format=xlsx", "save": workbook],          // 9
            WebFixture.get("/report/download?format=docx"),                                     // 10
            WebFixture.get("/report/download?format=%3Cscript%3E"),                             // 11
            WebFixture.get("/documents"),                                                       // 12
            ["method": "POST", "path": "/report/circular", "fields": ["csrf": "wrong", "period": "week"]], // 13
        ])
        #expect(pages[1].status == 303, "logged in: \(pages[1].status)")
        let figures = pages[2].body
        #expect(pages[2].status == 200 && figures.contains("按期完成率") && figures.contains("<svg") && !figures.contains("<script"), "\(figures.prefix(500))")
        #expect(figures.contains("&lt;script&gt;alert(1)&lt;/script&gt;托育") && figures.contains("市&lt;b&gt;&amp;局") && !figures.contains("市<b>&"),
                "item titles and agency names are text, in the tables and in the SVG")
        #expect(pages[3].status == 200 && pages[3].body.contains("日期应为明天或以前的日期"), "a wrong day is said, not an error page")
        #expect(pages[4].body.contains("<meta http-equiv=\"refresh\" content=\"300\">") && pages[4].body.contains("id=\"on-time\""))
        #expect(pages[5].body.contains("action=\"/report/circular\"") && pages[5].body.contains("format=xlsx"), "a clerk can issue the 通报")
        #expect(pages[5].body.contains("主要指标") && pages[5].body.contains("id=\"report-chart\"><svg"), "the report page shows the figures and the chart")
        let issued = pages[6].headers["Content-Disposition"] ?? ""
        #expect(pages[6].status == 200 && issued.contains(".docx") && pages[6].headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "\(pages[6].status) \(issued) \(pages[6].body.prefix(200))")
        #expect(pages[8].headers["Content-Disposition"] == issued, "the same report again: the same number")
        let number = try TestSupport.python(["-c", "import docx,json,sys; print(json.dumps({'n':[p.text for p in docx.Document(sys.argv[1]).paragraphs if '〔' in p.text]}))", circular])
        let numbers = number["n"] as? [String] ?? []
        #expect(numbers.count == 1 && numbers[0].hasPrefix("督通〔2026〕") && issued.contains(numbers[0].addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "?"),
                "\(numbers) \(issued)")
        let book = try TestSupport.python(["-c", """
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            rows = list(wb["各单位"].iter_rows(values_only=True))
            print(json.dumps({"sheets": wb.sheetnames, "header": rows[0], "numeric": all(isinstance(v, (int, float)) for r in rows[1:] for v in r[1:] if v is not None), "agencies": [r[0] for r in rows[1:]]}, ensure_ascii=False))
            """, workbook])
        #expect(book["sheets"] as? [String] == ["合计", "各单位", "各清单", "逾期最久"] && book["numeric"] as? Bool == true, "\(book)")
        #expect((book["agencies"] as? [String])?.contains("市<b>&局") == true, "\(book)")
        #expect(pages[10].status == 400 && pages[11].status == 400 && !pages[11].body.contains("<script"), "the 通报 is issued by POST only; a bad format is refused")
        let register = pages[12].body
        #expect(register.contains("督办〔2026〕第1号") && register.contains(numbers.first ?? "?"), "\(register.prefix(800))")
        #expect(pages[13].status == 403 || pages[13].status == 400, "a forged form is refused: \(pages[13].status)")

        // The register links a 督办通知单 to its message; the message offers its file as sent.
        let id = try #require(register.range(of: #"href="/sent/(\d+)""#, options: .regularExpression).map { String(register[$0].dropFirst(12).dropLast()) })
        let more = try f.browse(WebFixture.login("领导") + [
            WebFixture.get("/sent/\(id)"),
            ["method": "GET", "path": "/sent/\(id)/files/0", "save": sent],
            WebFixture.get("/sent/\(id)/files/99"),
            WebFixture.get("/sent/\(id)/files/-1"),
            WebFixture.get("/report"),
        ])
        #expect(more[2].body.contains("/sent/\(id)/files/0") && more[2].body.contains("督办通知单-督办〔2026〕"), "\(more[2].body.prefix(600))")
        #expect(more[3].status == 200 && more[3].headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        #expect(more[4].status == 404 && more[5].status == 404)
        #expect(!more[6].body.contains("action=\"/report/circular\""), "a leader reads the report; issuing it is a clerk's")
        let read = try TestSupport.python(["-c", "import docx,json,sys; print(json.dumps({'n':[p.text for p in docx.Document(sys.argv[1]).paragraphs if '〔' in p.text]}, ensure_ascii=False))", sent])
        #expect((read["n"] as? [String])?.first?.hasPrefix("督办〔2026〕第") == true, "\(read)")

        // Issued twice at once (two clerks' sessions, one report): one number for both.
        let steps = String(data: try JSONSerialization.data(withJSONObject: WebFixture.login("经办") + [WebFixture.get("/report"),
            ["method": "POST", "path": "/report/circular", "fields": ["csrf": "@csrf", "period": "week", "day": "2026-12-02"]]]), encoding: .utf8)!
        let answers = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let r = try? TestSupport.run("/usr/bin/env", ["python3", TestSupport.root.appendingPathComponent("Tests/Python/office_client.py").path, f.url, steps])
            let pages = r.flatMap { try? JSONSerialization.jsonObject(with: $0.data) as? [[String: Any]] } ?? []
            answers.withLock { $0.append((pages.last?["headers"] as? [String: String])?["Content-Disposition"]
                                          ?? "\(pages.map { "\($0["status"] ?? "")" }) \(r?.err.suffix(300) ?? "")") }
        }
        let together = answers.withLock { $0 }
        #expect(together.count == 2 && together[0] == together[1] && together[0].contains(".docx") && together[0] != issued, "\(together)")

        // Issuing is in the audit trail, by whom and from where.
        let audit = try TestSupport.run("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; print('\\n'.join('|'.join(r) for r in sqlite3.connect(sys.argv[1]).execute(\"SELECT actor, client, object, detail FROM audit WHERE action='document.number'\")))", f.state + "/dudao.sqlite"])
        let rows = String(decoding: audit.data, as: UTF8.self).split(separator: "\n")
        #expect(rows.contains { $0.hasPrefix("经办|127.0.0.1|report 2026-") } && rows.contains { $0.hasPrefix("督办系统|local|notice 2026-1") }, "\(rows.suffix(5))")
        #expect(rows.filter { $0.hasPrefix("经办|") && $0.contains("2026-12-01") }.count == 1, "issued twice, numbered once: \(rows.filter { $0.hasPrefix("经办|") })")
        #expect(rows.filter { $0.hasPrefix("经办|") && $0.contains("2026-12-02") }.count == 1, "issued twice at once, numbered once: \(rows.filter { $0.hasPrefix("经办|") })")

        // In Chromium: the pages as people see them.
        let out = TestSupport.root.appendingPathComponent("docs/console").path
        let seen = try TestSupport.python(["Tests/Python/figures_browser.py", f.url, "领导", WebFixture.password, out])
        #expect((seen["figures_totals"] as? String)?.contains("按期完成率") == true && seen["scripts"] as? Int == 0, "\(seen)")
        #expect((seen["chart_rows"] as? Int ?? 0) >= 3, "a bar row per agency: \(seen["chart_rows"] ?? "")")
        #expect(seen["refresh"] as? String == "300" && (seen["overdue"] as? String ?? "").allSatisfy(\.isNumber), "\(seen)")
        #expect((seen["attachments"] as? [String])?.first?.hasPrefix("督办通知单-") == true, "\(seen["attachments"] ?? "")")
        for (path, scroll) in seen["overflow"] as? [String: Int] ?? [:] { #expect(scroll <= 0, "\(path) scrolls sideways at 390 px by \(scroll)") }
        #expect((seen["low_contrast"] as? [Any])?.isEmpty == true, "\(seen["low_contrast"] ?? "")")
        #expect((seen["console_errors"] as? [Any])?.isEmpty == true, "\(seen["console_errors"] ?? "")")
    }
}
