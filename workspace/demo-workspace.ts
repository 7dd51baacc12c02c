import type { Role } from "../src/modules/access/roles.js";

/**
 * Who and where in the local workspace: demo users with the roles the remiss and approval flows
 * need, and channels for the demo bodies that have one (db/seed/demo.json's bodies get these
 * channel ids when the workspace imports it).
 */
export type DemoUser = {
  id: string;
  name: string;
  /** What @-mentions and the "who am I" switch call them. */
  handle: string;
  /** Granted through the bot's own role use case (the admin through ARENDE_ADMINS). */
  roles: { role: Role; body: string | null }[];
  /** Shown beside the name in the switch. */
  description: string;
};

export const BOT_USER_ID = "U0ARENDEBOT";
export const BOT_HANDLE = "arendebot";

export const DEMO_USERS: DemoUser[] = [
  {
    id: "U0RITA",
    name: "Rita Registrator",
    handle: "rita",
    roles: [{ role: "registrator", body: "kommunstyrelsen" }],
    description: "registrator, kommunstyrelsen",
  },
  {
    id: "U0HANS",
    name: "Hans Handläggare",
    handle: "hans",
    roles: [{ role: "handlaggare", body: "sdn-bromma" }],
    description: "handläggare, Bromma stadsdelsnämnd",
  },
  {
    id: "U0GRETA",
    name: "Greta Godkännare",
    handle: "greta",
    roles: [{ role: "godkannare", body: "sdn-bromma" }],
    description: "godkännare, Bromma stadsdelsnämnd",
  },
  {
    id: "U0ADA",
    name: "Ada Admin",
    handle: "ada",
    roles: [{ role: "admin", body: null }],
    description: "admin",
  },
  {
    id: "U0OLLE",
    name: "Olle Tjänsteperson",
    handle: "olle",
    roles: [],
    description: "ingen roll",
  },
];

export type DemoChannel = { id: string; name: string; body?: string };

export const DEMO_CHANNELS: DemoChannel[] = [
  { id: "C0ARENDEN", name: "ärenden" },
  { id: "C0KOMMUNSTYRELSEN", name: "kommunstyrelsen", body: "kommunstyrelsen" },
  { id: "C0SOCIALNAMNDEN", name: "socialnämnden", body: "socialnamnden" },
  { id: "C0BROMMA", name: "bromma", body: "sdn-bromma" },
];
