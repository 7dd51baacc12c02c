import { parseReportCommand } from "../../modules/reports/parse-report-command.js";
import {
  REPORT_WORKING_TEXT,
  reportErrorMessage,
  reportScheduledMessage,
  reportScheduleNotice,
  reportScheduleShownMessage,
  reportSharedMessage,
  reportUnscheduledMessage,
} from "../blocks/motion-report.js";
import { registryProblemMessage } from "../blocks/replies.js";
import type { RequestDeps } from "../deps.js";
import { answerInTime, type CommandArgs, postNotice } from "./answer-in-time.js";
import { argumentsAfter } from "./subcommand.js";

/** The words after `/arende rapport`, or null when the command is about something else. */
export const rapportArguments = (text: string): string | null => argumentsAfter(["rapport"], text);

/**
 * `/arende rapport motioner [per YYYY-MM-DD]`: the report to the council, uploaded to the channel as
 * Word and CSV (rendering and uploading take longer than Slack waits, so the ack says it is coming and
 * the asker is told through response_url how it went). `… schema …` sets, shows or ends the channel's
 * schedule, with a visible line in the channel when it changes.
 */
export function rapportCommand({ services }: RequestDeps) {
  return async (args: CommandArgs, text: string): Promise<void> => {
    const { command, ack, respond, logger } = args;
    const parsed = parseReportCommand(text);
    if (!parsed.ok)
      return void (await ack({ response_type: "ephemeral", ...reportErrorMessage(parsed.error) }));
    const { request } = parsed;
    const channelId = command.channel_id;

    if (request.type === "share") {
      await ack({ response_type: "ephemeral", text: REPORT_WORKING_TEXT });
      const answer = await services
        .shareMotionReport({ channelId, per: request.per })
        .then((result) => (result.ok ? reportSharedMessage(result) : reportErrorMessage(result.error)))
        .catch((error: unknown) => {
          logger.error("motion report failed", error);
          return registryProblemMessage(error);
        });
      return void (await respond({ response_type: "ephemeral", replace_original: true, ...answer }));
    }
    if (request.type === "show_schedule") {
      return void (await answerInTime(
        args,
        services.reportSchedule(channelId).then(reportScheduleShownMessage),
        "report schedule",
      ));
    }
    if (request.type === "unschedule") {
      const result = services.unscheduleReport({ channelId });
      await answerInTime(
        args,
        result.then((outcome) =>
          outcome.ok ? reportUnscheduledMessage(outcome.ended) : reportErrorMessage(outcome.error),
        ),
        "report unschedule",
      );
      const outcome = await result.catch(() => null);
      if (outcome?.ok) {
        await postNotice(
          args,
          reportScheduleNotice(command.user_id, { description: outcome.ended, ended: true }),
        );
      }
      return;
    }
    const result = services.scheduleReport({ channelId, schedule: request.schedule });
    await answerInTime(
      args,
      result.then((outcome) =>
        outcome.ok ? reportScheduledMessage(outcome) : reportErrorMessage(outcome.error),
      ),
      "report schedule",
    );
    const outcome = await result.catch(() => null);
    if (outcome?.ok && outcome.outcome !== "unchanged") {
      await postNotice(
        args,
        reportScheduleNotice(command.user_id, { description: outcome.description, ended: false }),
      );
    }
  };
}
