import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { helpMessage, unknownCommandMessage } from "../blocks/replies.js";
import type { RequestDeps, SlackDeps } from "../deps.js";
import { parseBotRequest } from "../request.js";
import { statusReply } from "../status-reply.js";
import { answerInTime } from "./answer-in-time.js";
import { bevakaArguments, bevakaCommand, slutaBevakaArguments, slutaBevakaCommand } from "./bevaka.js";
import { bevakningarArguments, bevakningarCommand } from "./bevakningar.js";
import { digestArguments, digestCommand } from "./digest/digest-command.js";
import { historikArguments, historikCommand } from "./historik.js";
import { rapportArguments, rapportCommand } from "./rapport.js";
import { remissvarArguments, remissvarCommand } from "./remissvar.js";
import { remitteraArguments, remitteraCommand } from "./remittera.js";
import { roleArguments, roleCommand } from "./roles/role-command.js";
import { sokArguments, sokCommand } from "./sok.js";

export function arendeCommand({ servicesFor }: SlackDeps) {
  return async ({
    command,
    ack,
    respond,
    logger,
    client,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const services = servicesFor({ userId: command.user_id, name: command.user_name });
    const deps: RequestDeps = { services };
    const digest = digestCommand(deps);
    const roles = roleCommand(deps);
    const remittera = remitteraCommand(deps);
    const remissvar = remissvarCommand(deps);
    const historik = historikCommand(deps);
    const digestWords = digestArguments(command.text);
    if (digestWords !== null) return digest({ command, ack, respond, logger }, digestWords);
    const roleWords = roleArguments(command.text);
    if (roleWords !== null) return roles({ command, ack, respond, logger }, roleWords);
    const remissQuery = remitteraArguments(command.text);
    if (remissQuery !== null) return remittera({ command, ack, respond, logger, client }, remissQuery);
    const responseQuery = remissvarArguments(command.text);
    if (responseQuery !== null) return remissvar({ command, ack, respond, logger, client }, responseQuery);
    const reportText = rapportArguments(command.text);
    if (reportText !== null) return rapportCommand(deps)({ command, ack, respond, logger }, reportText);
    const searchText = sokArguments(command.text);
    if (searchText !== null)
      return void (await sokCommand(deps)({ command, ack, respond, logger }, searchText));
    const followWords = bevakaArguments(command.text);
    if (followWords !== null)
      return void (await bevakaCommand(deps)({ command, ack, respond, logger }, followWords));
    const unfollowWords = slutaBevakaArguments(command.text);
    if (unfollowWords !== null)
      return void (await slutaBevakaCommand(deps)({ command, ack, respond, logger }, unfollowWords));
    const listWords = bevakningarArguments(command.text);
    if (listWords !== null)
      return void (await bevakningarCommand(deps)({ command, ack, respond, logger }, listWords));
    const historyQuery = historikArguments(command.text);
    if (historyQuery !== null) return void (await historik({ command, ack, respond, logger }, historyQuery));
    const request = parseBotRequest(command.text);
    if (request.type === "help") return ack({ response_type: "ephemeral", ...helpMessage() });
    if (request.type === "unknown")
      return ack({ response_type: "ephemeral", ...unknownCommandMessage(request.word) });
    // Routed above by sokArguments; parseBotRequest knows the word for mentions and DMs.
    if (request.type === "search")
      return void (await sokCommand(deps)({ command, ack, respond, logger }, request.text));

    await answerInTime(
      { command, ack, respond, logger },
      services
        .caseStatus(request.query)
        .then((result) => statusReply(result, { place: "private", today: services.today() }).message),
      "status lookup",
    );
  };
}
