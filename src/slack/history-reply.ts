import { chooseAudience } from "../modules/cases/choose-audience.js";
import type { CaseHistoryResult } from "../modules/history/get-case-history.js";
import { presentHistory } from "../modules/history/present-history.js";
import { caseHistoryMessage, severalCasesMessage } from "./blocks/case-history.js";
import { type SlackMessage, textMessage } from "./blocks/message.js";
import { invalidIdentifierMessage, notFoundMessage } from "./blocks/replies.js";

/**
 * The history as the asker sees it. It is always shown to the asker alone (an ephemeral message),
 * so a restricted case is shown in full to those the audience rule allows and with its public data
 * to anyone else.
 */
export function historyReply(result: CaseHistoryResult): SlackMessage {
  switch (result.type) {
    case "invalid":
      return invalidIdentifierMessage(result.error);
    case "not_found":
      return notFoundMessage(result.identifier, result.suggestions);
    case "gone":
      return textMessage("Ärendet finns inte längre i diariet.");
    case "found": {
      const [history, ...others] = result.histories;
      if (!history) return notFoundMessage("det numret", []);
      if (others.length > 0) return severalCasesMessage(result.histories.map((each) => each.details));
      const audience = chooseAudience(history.details, {
        mayViewFull: history.mayViewFull,
        place: "private",
      });
      return caseHistoryMessage(presentHistory(history, { audience }));
    }
  }
}
