import ArgumentParser
import Foundation
import Logging
import DudaoCore
import DudaoDelivery
import DudaoMessages
import DudaoSchedules

/// What `send-test` and `run` share: channels, renderer and dispatcher for a schedule set.
struct Delivering {
    let set: ScheduleSet
    let renderer: MessageRenderer
    let dispatcher: Dispatcher

    init(_ set: ScheduleSet, templates: String?) throws {
        self.set = set
        let templateSet = try TemplateLoading.load(templates ?? set.templatesPath)
        renderer = MessageRenderer(templates: templateSet, context: MessageContext(office: set.policy.supervisor, reportTo: set.messages.reportTo))
        let channels: DeliveryChannels
        do { channels = try DeliveryChannels(set.channels) } catch {
            Output.error("错误 error: \(error)")
            throw ExitCode(1)
        }
        let composer = EmailComposer(from: channels.sender(fallback: Senders.office(set)), agencies: set.agencies.agencies,
                                     attachCalendar: set.messages.attachCalendar)
        dispatcher = Dispatcher(channels: channels, composer: composer, agencies: set.agencies.agencies)
    }

    /// Renders and delivers `plan`'s messages; logs each outcome; returns the records.
    func deliver(_ plan: Plan, logger: Logger) -> [DeliveryRecord] {
        let rendered = plan.messages.map { ($0, renderer.render($0, in: plan)) }
        let records = dispatcher.deliver(rendered, in: plan)
        for r in records {
            let level: Logger.Level = r.outcome.isDelivered ? .info : (r.outcome.isTransient ? .warning : .error)
            logger.log(level: level, "\(r.to) via \(r.channel): \(r.outcome)", metadata: ["key": "\(r.key)"])
        }
        return records
    }
}
