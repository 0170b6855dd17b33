import { fold } from '../domain/catalog.ts';

/** Words that leave any flow, and "never mind" answers that end a flow whose question they do not answer. */

const MENU_WORDS = new Set(['menu', 'salir', 'inicio', 'menu principal', 'regresar', 'volver', 'menu por favor']);

const NEVER_MIND =
  /^(?:no,? )?(?:mejor no|ya no|olvidalo|olvidelo|olvida(?:lo)? eso|dejalo(?: asi)?|dejelo(?: asi)?|asi dejalo|no quiero(?: nada)?|ya no quiero|no,? gracias|cancela(?:r)?(?: todo)?|nada|no nada(?: ya)?|ninguno|no importa|luego te escribo|despues te escribo|en otro momento)(?:,? gracias)?$/;

/** "menú", "salir", "inicio": leave whatever is going on and show the menu. */
export const isMenuWord = (text: string): boolean => MENU_WORDS.has(fold(text));

/** "mejor no", "olvídalo", "no gracias": the user drops the current question. */
export const isNeverMind = (text: string): boolean => NEVER_MIND.test(fold(text));
