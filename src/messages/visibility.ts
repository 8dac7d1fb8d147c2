/**
 * User-facing Japanese about where a reply went (issue 18): private replies sent by DM, channels
 * the bot cannot post in, stale buttons. Kept apart from core.ts so the domains' texts stay put.
 */
export const V = {
  /** A reply could not be posted in the channel (the bot is not in it, or lacks permission); it came by DM instead. */
  inviteBotSlack: 'このチャンネルにはボットが投稿できないため、ダイレクトメッセージでお送りします。チャンネルで使うには、このチャンネルにボットを招待してください（チャンネル名をクリック →「インテグレーション」→「アプリを追加する」）。',
  inviteBotDiscord: 'このチャンネルにはボットが投稿できないため、ダイレクトメッセージでお送りします。チャンネルで使うには、サーバーの管理者にボットの「メッセージを送信」の権限をご依頼ください。',
  /** Said in the channel when a private reply went to the user's DM (Discord messages cannot be ephemeral). */
  sentByDm: 'ほかの方に見えないよう、続きはダイレクトメッセージでお送りしました。',
  /** Neither the channel nor the DM could be reached. */
  unreachable: 'このチャンネルにもダイレクトメッセージにも返信できませんでした。ボットをチャンネルに招待してから、もう一度お試しください。',
  /** The receipt of a submitted checklist, sent to the user's DM. */
  receiptByDm: 'チェックリストの回答の控えです（ほかの方には見えません）。',
  /** A file of a private reply went to the DM. */
  fileByDm: 'ファイルはダイレクトメッセージでお送りしました。',
} as const;
