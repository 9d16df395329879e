import Foundation
import DudaoCore

/// `dudao check`: the loading findings plus rules that need the whole set — agencies named
/// by lists but missing from agencies.yaml, agencies nobody can reach, the supervising
/// office, overdue open work, and calendar years without official data. channels.yaml is
/// checked by DudaoDelivery's `ChannelsFile`, which knows the integrations.
extension ScheduleSet {
    /// All findings at `now`, loading ones first.
    public func check(now: Date) -> Diagnostics {
        var diag = diagnostics
        let clock = LocalClock(timeZone: policy.timeZone)
        let today = clock.day(of: now)

        if items.isEmpty && !diag.hasErrors {
            diag.warning(directory, "没有任务清单 no task lists: import one with `dudao import LIST -o \(directory)/NAME.yaml`")
        }

        // Agencies named by items.
        var reported = Set<String>()
        for (index, item) in items.enumerated() {
            let place = place(ofItemAt: index)
            for name in item.lead {
                guard let agency = agencies.agency(named: name) else {
                    if reported.insert("lead:" + name).inserted {
                        diag.error(place?.file ?? directory, line: place?.line, item: item.id, "牵头单位不在通讯录中 lead agency “\(name)” is not in agencies.yaml")
                    }
                    continue
                }
                if agency.isGroup {
                    diag.error(place?.file ?? directory, line: place?.line, item: item.id, "“\(name)” 是统称，不能作为牵头单位 is a group, not an agency that can be reminded")
                } else if !agency.contacts.contains(where: \.isReachable), reported.insert("contact:" + name).inserted {
                    diag.error(agencies.origin(of: agency.name, default: agenciesPath).file, line: agencies.origin(of: agency.name, default: agenciesPath).line, "“\(agency.name)” 没有联系方式 has no contact with an email or chat, but leads item \(item.id)")
                }
            }
            for name in item.partners where agencies.agency(named: name) == nil {
                if reported.insert("partner:" + name).inserted {
                    diag.warning(place?.file ?? directory, line: place?.line, item: item.id, "配合单位不在通讯录中 partner “\(name)” is not in agencies.yaml")
                }
            }
        }

        for agency in agencies.agencies where !agency.isGroup && !agency.contacts.contains(where: \.isReachable) {
            if !reported.contains("contact:" + agency.name) {
                diag.warning(agencies.origin(of: agency.name, default: agenciesPath).file, line: agencies.origin(of: agency.name, default: agenciesPath).line, "“\(agency.name)” 没有联系方式 has no contact with an email or chat")
            }
        }

        // The supervising office.
        let wantsSupervisor = policy.ladder.levels.contains { $0.ccSupervisor } || policy.officeReport.weekday != nil || policy.officeReport.monthly
        if let office = policy.supervisor {
            if let agency = agencies.agency(named: office) {
                if !agency.contacts.contains(where: \.isReachable) {
                    diag.error(agencies.origin(of: agency.name, default: agenciesPath).file, line: agencies.origin(of: agency.name, default: agenciesPath).line, "督查室 “\(office)” 没有联系方式 the supervising office has no contact")
                }
                if agency.contact?.phone == nil {
                    diag.warning(agencies.origin(of: agency.name, default: agenciesPath).file, line: agencies.origin(of: agency.name, default: agenciesPath).line,
                                 "督查室 “\(office)” 没有 contact 电话 has no `contact:` with a phone: messages name only its mailbox (hint: contact: {name: 张三, phone: 0371-67180000})")
                }
            } else {
                diag.error(policyPath, "督查室 supervisor “\(office)” is not in agencies.yaml")
            }
        } else if wantsSupervisor {
            diag.warning(policyPath, "未设置督查室 no supervisor set: the office gets no report and no copies")
        }

        // Work already overdue.
        for (index, item) in items.enumerated() where item.status.wantsReminders {
            let place = place(ofItemAt: index)
            for i in item.milestones.indices where item.status(ofMilestone: i).wantsReminders {
                let m = item.milestones[i]
                let due = item.effectiveDue(ofMilestone: i)
                if due < today {
                    diag.warning(place?.file ?? directory, line: place?.line, item: item.id,
                                 "已逾期 \(due.days(until: today)) 天 overdue since \(due.iso) (“\(m.text)”) and not done: the overdue ladder applies (核实 first when nothing was sent)")
                }
            }
        }

        // Calendar coverage.
        var years = Set([today.year])
        if today.month >= 11 { years.insert(today.year + 1) }
        for item in items where item.status.wantsReminders {
            for m in item.milestones where m.due >= today { years.insert(m.due.year) }
        }
        for year in years.sorted() where !calendar.covers(year: year) {
            let assumed = calendar.provisionalYears.contains(year)
                ? "the statutory holidays are assumed (provisional, without 调休)" : "Monday–Friday is assumed"
            diag.warning(calendarPath, "缺少 \(year) 年节假日安排 no official holiday data for \(year): \(assumed); add calendar/\(year).yaml when the State Council publishes it")
        }
        return diag
    }
}
