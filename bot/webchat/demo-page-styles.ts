/** The demo site's own look (a green timber-home builder); the widget brings its styles in its shadow root. */
export const DEMO_PAGE_STYLES = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 Georgia,"Times New Roman",serif;color:#23302a;background:#fbfaf6}
a{color:inherit}
.wrap{max-width:1160px;margin:0 auto;padding:0 28px}
.top{position:sticky;top:0;z-index:5;background:rgba(251,250,246,.94);border-bottom:1px solid #e6e2d6;backdrop-filter:blur(6px)}
.top-row{display:flex;align-items:center;gap:32px;height:72px}
.logo{font:700 22px/1 system-ui,sans-serif;text-decoration:none;color:#2f6f4e;letter-spacing:-.02em}
.logo-mark{color:#c8893b}
nav{display:flex;gap:22px;flex:1;font:500 15px system-ui,sans-serif}
nav a{text-decoration:none;color:#4a5a52}
nav a:hover{color:#2f6f4e}
.top-right{display:flex;align-items:center;gap:16px;font:600 15px system-ui,sans-serif}
.phone{text-decoration:none}
.lang{padding:4px 10px;border:1px solid #cfd8d2;border-radius:999px;text-decoration:none;font-size:13px}
.hero{background:linear-gradient(180deg,#eef5ef,#fbfaf6)}
.hero-grid{display:grid;grid-template-columns:1.05fr 1fr;gap:48px;align-items:center;padding-top:56px;padding-bottom:64px}
.badge{display:inline-block;margin:0 0 18px;padding:6px 14px;border-radius:999px;background:#fff3e0;color:#9a5b14;font:600 13px system-ui,sans-serif}
h1{margin:0 0 18px;font-size:52px;line-height:1.08;letter-spacing:-.02em;color:#1f3b2d}
.lead{margin:0 0 28px;font-size:19px;color:#4a5a52;max-width:34em}
.actions{display:flex;gap:12px;margin:0 0 36px}
.telegram{margin:-20px 0 28px}.telegram a{color:#2a6fa8;font-weight:600}
.button{display:inline-block;padding:14px 24px;border-radius:12px;background:#2f6f4e;color:#fff;text-decoration:none;font:600 16px system-ui,sans-serif}
.button.ghost{background:transparent;color:#2f6f4e;box-shadow:inset 0 0 0 2px #2f6f4e}
.stats{display:flex;gap:40px;margin:0}
.stats dt{font:700 28px system-ui,sans-serif;color:#2f6f4e}
.stats dd{margin:0;color:#6a776f;font-size:14px}
.hero-art svg{width:100%;height:auto;border-radius:24px;box-shadow:0 30px 60px rgba(31,59,45,.18)}
.block{padding-top:64px;padding-bottom:16px}
h2{margin:0 0 28px;font-size:34px;color:#1f3b2d;letter-spacing:-.01em}
.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:24px}
.card{background:#fff;border-radius:18px;overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.05),0 10px 30px rgba(31,59,45,.08)}
.card svg{display:block;width:100%;height:auto}
.card-body{padding:18px 20px 20px}
.card h3{margin:0 0 4px;font:700 19px system-ui,sans-serif}
.card p{margin:0;color:#6a776f;font-size:15px}
.card .price{margin-top:10px;color:#2f6f4e;font:700 18px system-ui,sans-serif}
.why{margin-top:56px;background:#1f3b2d;color:#e7efe9}
.why h2{color:#fff}
.why .block{padding-bottom:64px}
.why-grid{display:grid;grid-template-columns:repeat(4,1fr);gap:28px}
.why h3{margin:0 0 8px;font:700 17px system-ui,sans-serif;color:#f3c98b}
.why p{margin:0;font-size:15px;color:#c5d4ca}
.steps{display:grid;grid-template-columns:repeat(5,1fr);gap:16px;padding:0;margin:0;list-style:none;counter-reset:step}
.steps li{counter-increment:step;padding:18px;border-radius:14px;background:#fff;border:1px solid #e6e2d6;font:500 15px system-ui,sans-serif}
.steps li::before{content:counter(step);display:block;margin-bottom:8px;font:700 26px Georgia,serif;color:#c8893b}
.foot{margin-top:72px;padding:28px 0;border-top:1px solid #e6e2d6;color:#6a776f;font:14px system-ui,sans-serif}
@media (max-width:900px){
  nav{display:none}
  .hero-grid,.cards,.why-grid,.steps{grid-template-columns:1fr}
  h1{font-size:36px}
}
`;
