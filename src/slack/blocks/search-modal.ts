import type { KnownBlock, ModalView } from "@slack/types";
import { MAX_SEARCH_CHARACTERS } from "../../modules/search/parse-search.js";
import type { SearchResult } from "../../modules/search/search-cases.js";
import type { SlackMessage } from "./message.js";
import { searchResultsMessage } from "./search-results.js";

/** The search modal the Home tab's button opens; its hits open each case's card on top of it. */
export const SEARCH_VIEW = "search.modal";
export const SEARCH_QUERY_BLOCK = "search_query";
export const SEARCH_QUERY_INPUT = "query";

/** The empty form, or the form with what was searched and its hits under it. */
export function searchModal(answer?: { text: string; result: SearchResult }): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: "input",
      block_id: SEARCH_QUERY_BLOCK,
      label: { type: "plain_text", text: "Sökord" },
      hint: {
        type: "plain_text",
        text: "Ord ur ärendets titel, och om du vill typ:motion, organ:<namn>, år:2017, öppna eller avslutade.",
      },
      element: {
        type: "plain_text_input",
        action_id: SEARCH_QUERY_INPUT,
        max_length: MAX_SEARCH_CHARACTERS,
        placeholder: { type: "plain_text", text: "t.ex. kompetensutvecklingspeng typ:motion" },
        ...(answer ? { initial_value: answer.text } : {}),
      },
    },
  ];
  if (answer) blocks.push({ type: "divider" }, ...searchResultsMessage(answer.text, answer.result).blocks);
  return {
    type: "modal",
    callback_id: SEARCH_VIEW,
    title: { type: "plain_text", text: "Sök ärende" },
    submit: { type: "plain_text", text: "Sök" },
    close: { type: "plain_text", text: "Stäng" },
    blocks,
  };
}

/** A case's card on top of the search modal. Its buttons share or page in a conversation, which a modal is not. */
export function cardModal(card: SlackMessage): ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: "Ärende" },
    close: { type: "plain_text", text: "Tillbaka" },
    blocks: card.blocks.filter((block) => block.type !== "actions"),
  };
}

/** A short answer in a modal, where there is no conversation to answer in (a Home tab's button). */
export function noticeModal(message: SlackMessage): ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: "Ärendeboten" },
    close: { type: "plain_text", text: "Stäng" },
    blocks:
      message.blocks.length > 0
        ? message.blocks
        : [{ type: "section", text: { type: "mrkdwn", text: message.text } }],
  };
}
