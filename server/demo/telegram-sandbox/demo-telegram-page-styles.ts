/** /demo/telegram's one style sheet: Telegram's look in brief (light theme, green own bubbles). */
export const DEMO_TELEGRAM_PAGE_STYLES = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#dfe7ee;color:#1f2933}
.top{display:flex;gap:16px;align-items:center;padding:10px 20px;background:#517da2;color:#fff}
.top a{color:#fff}
.badge{background:#ffd54f;color:#4a3b00;border-radius:12px;padding:2px 10px;font-weight:600;font-size:13px}
.intro{max-width:960px;margin:12px auto;padding:0 16px;color:#3d4b57}
.app{display:grid;grid-template-columns:260px 1fr;max-width:960px;height:calc(100vh - 150px);min-height:420px;margin:0 auto 16px;background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 4px #0002}
.side{border-right:1px solid #e3e8ec;overflow:auto;padding:12px}
.side h2{font-size:15px;margin:0 0 8px}
.name{display:grid;gap:4px;font-size:13px;color:#56636e;margin-bottom:10px}
.name input{font:inherit;padding:6px 8px;border:1px solid #c9d3db;border-radius:6px}
#chats{list-style:none;margin:0;padding:0}
#chats li.hint{font-size:13px;color:#56636e;margin:10px 0 4px}
#chats button{display:block;width:100%;text-align:left;font:inherit;padding:8px;border:0;border-radius:6px;background:none;cursor:pointer;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#chats button[aria-current="true"]{background:#419fd9;color:#fff}
.chat{display:flex;flex-direction:column;min-width:0;background:#cfe0c3 linear-gradient(#d7e4cb,#c2d7b4)}
.chat-head{display:flex;gap:10px;align-items:center;padding:8px 14px;background:#fff;border-bottom:1px solid #e3e8ec}
.avatar{display:grid;place-items:center;width:36px;height:36px;border-radius:50%;background:#2f7d4f;color:#fff;font-weight:700}
.muted{color:#6d7a86;font-size:13px}
.as{margin-left:auto}
.messages{flex:1;overflow:auto;list-style:none;margin:0;padding:14px;display:flex;flex-direction:column;gap:6px}
.messages li{max-width:75%;padding:6px 10px;border-radius:10px;background:#fff;white-space:pre-wrap;overflow-wrap:break-word;box-shadow:0 1px 1px #0001}
.messages li.user{align-self:flex-end;background:#effdde}
.messages li.empty{align-self:center;background:#0003;color:#fff}
.messages time{display:block;text-align:right;font-size:11px;color:#7b8a96}
.keyboard{display:grid;gap:4px;margin-top:6px}
.keyboard button,.keyboard a{font:inherit;padding:6px;border:0;border-radius:6px;background:#e9f1f8;color:#2a6fa8;cursor:pointer;text-align:center;text-decoration:none}
.composer{display:flex;gap:8px;padding:10px;background:#fff}
.composer input{flex:1;font:inherit;padding:8px 10px;border:1px solid #c9d3db;border-radius:18px}
.composer button{font:inherit;padding:8px 16px;border:0;border-radius:18px;background:#419fd9;color:#fff;cursor:pointer}
.error{margin:0;padding:6px 12px;background:#fde8e8;color:#9b1c1c}
@media (max-width:700px){.app{grid-template-columns:1fr;height:auto}.side{border-right:0;border-bottom:1px solid #e3e8ec}.messages{min-height:50vh}}
`;
