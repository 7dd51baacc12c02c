import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { say } from "../../messages/sv.js";
import { registryProblemText } from "../blocks/replies.js";
import { SEARCH_QUERY_BLOCK, SEARCH_QUERY_INPUT, searchModal } from "../blocks/search-modal.js";
import type { SlackDeps } from "../deps.js";

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const typedText = z.object({ value: z.string().nullish() }).partial();

/**
 * The search modal submitted: the hits replace the form's lower part and the words stay in the field,
 * so the search can be refined; a bad search is an error on the field. Answered within Slack's 3 s
 * (the search is bounded by the registry's time limit).
 */
export function searchSubmitted({ servicesFor }: SlackDeps) {
  return async ({ ack, body, view, logger }: ViewArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    const typed = typedText.safeParse(view.state?.values?.[SEARCH_QUERY_BLOCK]?.[SEARCH_QUERY_INPUT] ?? {});
    const text = typed.success ? (typed.data.value ?? "").trim() : "";
    const fieldError = (message: string) =>
      ack({ response_action: "errors", errors: { [SEARCH_QUERY_BLOCK]: message } });
    try {
      const result = await services.search({ text, place: "private" });
      if (!result.ok) return fieldError(say(result.error));
      await ack({ response_action: "update", view: searchModal({ text, result }) });
    } catch (error) {
      logger.error("searching from the modal failed", error);
      await fieldError(registryProblemText(error));
    }
  };
}
