/** A circle as a path, so every icon is a list of stroked paths. */
function circle(cx: number, cy: number, r: number): string {
  return `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
}

/** Stroked 24×24 outline icons, drawn for this app. */
export const ICONS = {
  logo: [
    'M5 4.5h14a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-7l-5 3.5v-3.5H5a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2z',
    'M7.5 8.5h9l-3.5 4v2.5l-2 1v-3.5z',
  ],
  inbox: [
    'M4 13l2.3-7.3A1 1 0 0 1 7.25 5h9.5a1 1 0 0 1 .95.7L20 13v5a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2z',
    'M4 13h4.5l1.5 2.5h4l1.5-2.5H20',
  ],
  contacts: [
    circle(9, 8, 3.5),
    'M2.5 20a6.5 6.5 0 0 1 13 0',
    'M15.5 4.7a3.5 3.5 0 0 1 0 6.6',
    'M18 14.2a6.5 6.5 0 0 1 3.5 5.8',
  ],
  deals: ['M3.5 4.5h17l-6.5 8v6l-4 2v-8z'],
  tasks: ['M6 4h12a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z', 'M8.5 12.5l2.5 2.5 4.5-5'],
  settings: ['M4 7.5h7', 'M17 7.5h3', 'M4 16.5h3', 'M13 16.5h7', circle(14, 7.5, 2.5), circle(10, 16.5, 2.5)],
  signOut: ['M10 4H6a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h4', 'M15 16l4-4-4-4', 'M19 12H9'],
  eye: ['M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12z', circle(12, 12, 3)],
  eyeOff: ['M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12z', circle(12, 12, 3), 'M4 4l16 16'],
  alert: [circle(12, 12, 9), 'M12 7.5v5.5', 'M12 16.5v.01'],
} satisfies Record<string, string[]>;

export type IconName = keyof typeof ICONS;
