/**
 * User-facing Japanese for municipality membership (issue 17): membership is granted by an admin
 * or by approving the user's request, never taken by picking a municipality.
 */
export const MEMBERSHIP = {
  /** Shown above the questions a user may read while a request waits. */
  questionsTitle: 'チェックリストの質問（承認されるまでは閲覧のみ）',
  /** The user picked a municipality they may not answer for: a request was filed. */
  requested: (name: string, id: number) =>
    `${name} の回答は、その市町村の担当者として都道府県の担当者（管理者）に認められた人だけが送信・閲覧できます。${name} の担当者として申請しました（申請番号 #${id}）。承認されるとお知らせします。`,
  /** The same request again. */
  stillPending: (name: string, id: number) => `${name} の担当者としての申請（申請番号 #${id}）は、都道府県の担当者（管理者）の承認を待っています。承認されるとお知らせします。`,
  /** The desk's notice of a new request. */
  deskHeader: 'チェックリストの回答者の申請がありました',
  fieldMunicipality: '市町村',
  fieldRequester: '申請者',
  fieldNumber: '申請番号',
  approveLabel: (id: number) => `#${id} を承認`,
  rejectLabel: (id: number) => `#${id} を却下`,
  /** `/pf 権限 申請` with nothing open. */
  noneOpen: '承認待ちの回答者の申請はありません。',
  openHeader: (n: number) => `承認待ちの回答者の申請 ${n} 件`,
  notFound: 'この申請は見つかりませんでした。「/pf 権限 申請」で一覧を確認してください。',
  alreadyDecided: (id: number) => `申請 #${id} はすでに処理されています。`,
  approvedForAdmin: (id: number, who: string, name: string) => `申請 #${id} を承認しました（${who} → ${name}）。`,
  rejectedForAdmin: (id: number) => `申請 #${id} を却下しました。`,
  approvedForUser: (name: string, id: number) => `${name} の担当者として承認されました（申請番号 #${id}）。/pf-checklist で回答できます。`,
  rejectedForUser: (name: string, id: number) => `${name} の担当者としての申請（申請番号 #${id}）は承認されませんでした。必要な場合は都道府県の担当者にお問い合わせください。`,
} as const;
