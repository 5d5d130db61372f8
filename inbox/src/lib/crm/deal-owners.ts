interface Person {
  id: string;
  name: string;
}

/**
 * Whom a deal may be given to: managers and admins pick anyone who works deals; anyone else's deals
 * stay their own (the server refuses the rest with `deals.reassign`).
 */
export function dealOwners(me: (Person & { role: string }) | undefined, people: readonly Person[]): Person[] {
  if (!me) return [];
  return me.role === 'admin' || me.role === 'manager' ? [...people] : [{ id: me.id, name: me.name }];
}
