/**
 * A made-up FGS Ärendehantering 2.0 (CITS ERMS 2.1) export of `count` cases for the sync bench, the
 * counterpart of generateCasesCsv: the same dnr, kinds, titles and dates, one aggregation of type
 * caseFile each, valid against ERMS.xsd. Deterministic, so the same count gives the same cases.
 */
const KINDS = ["Skrivelse", "Motion", "Medborgarförslag", "Interpellation", "Ärende"] as const;
const STATUSES = ["open", "in_progress", "received", "prepared", "closed"] as const;
const SUBJECTS = ["biblioteken", "snöröjningen", "parkbänkarna", "cykelbanorna", "skolmaten", "belysningen"];

export function generateCasesErms(count: number, { registryName = "Synk" } = {}): string {
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>
<erms xmlns="https://DILCIS.eu/XML/ERMS">
  <control>
    <identification identificationType="arkivbildare">${registryName}</identification>
    <maintenanceInformation>
      <maintenanceStatus value="new"/>
      <maintenanceAgency><agencyName>${registryName}</agencyName></maintenanceAgency>
      <maintenanceHistory>
        <maintenanceEvent>
          <eventType value="created"/>
          <eventDateTime>2026-11-30T12:00:00</eventDateTime>
          <agent agentType="creator"><name>Diariets uttagsfunktion</name></agent>
        </maintenanceEvent>
      </maintenanceHistory>
    </maintenanceInformation>
  </control>
  <aggregations>
`,
  ];
  for (let index = 0; index < count; index += 1) {
    const number = index + 1;
    const year = 2000 + (index % 26);
    const month = String((index % 12) + 1).padStart(2, "0");
    const day = String((index % 28) + 1).padStart(2, "0");
    const kind = KINDS[index % KINDS.length];
    const status = STATUSES[index % STATUSES.length];
    const motion =
      kind === "Motion" ? `\n      <extraId extraIdType="beteckning">Motion ${year}:${number}</extraId>` : "";
    const closed =
      status === "closed" ? `\n        <date dateType="closed">${year}-12-${day}T00:00:00</date>` : "";
    const id = `00000000-0000-4000-8000-${String(number).padStart(12, "0")}`;
    parts.push(`    <aggregation systemIdentifier="${id}" aggregationType="caseFile">
      <objectId>EX ${year}/${number}</objectId>${motion}
      <levelName>${kind}</levelName>
      <title>Exempelärende ${number} om ${SUBJECTS[index % SUBJECTS.length]}</title>
      <status value="${status}"/>
      <agents>
        <agent agentType="counterpart"><name>${index % 3 === 0 ? "Anna Exempel (A)" : "Cecilia Exempel (C)"}</name></agent>
      </agents>
      <dates>
        <date dateType="created">${year}-${month}-${day}T00:00:00</date>${closed}
      </dates>
    </aggregation>
`);
  }
  parts.push("  </aggregations>\n</erms>\n");
  return parts.join("");
}
