/**
 * Chart.js with only the parts the Reports page draws (bars, lines, their scales, tooltip and
 * legend): registered once, in the chunk the page loads with `import()` when its first chart
 * appears, so neither the inbox's first screen nor the reports' tables wait for it.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Filler,
  Tooltip,
  Legend,
);

// The charts speak the app's type and colours (styles/tokens.css), not Chart.js's Helvetica grey.
const tokens = getComputedStyle(document.documentElement);
Chart.defaults.font.family = tokens.getPropertyValue('--font-sans').trim() || Chart.defaults.font.family;
Chart.defaults.font.size = 12;
Chart.defaults.color = tokens.getPropertyValue('--color-text-muted').trim() || '#5b6678';
Chart.defaults.borderColor = tokens.getPropertyValue('--color-border').trim() || '#e3e8ef';

export { Chart };
