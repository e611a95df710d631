// Переводы интерфейса: русский по умолчанию, английский; формы множественного числа — по CLDR (Intl.PluralRules).
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import { en } from "./en";
import { ru } from "./ru";

export const LANGUAGES = ["ru", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

const stored = typeof localStorage !== "undefined" ? localStorage.getItem("megashop.lang") : null;

void i18n.use(initReactI18next).init({
  resources: { ru: { translation: ru }, en: { translation: en } },
  lng: stored === "en" ? "en" : "ru",
  fallbackLng: "ru",
  interpolation: { escapeValue: false },
});

export function languageSet(language: Language) {
  localStorage.setItem("megashop.lang", language);
  void i18n.changeLanguage(language);
}

export default i18n;
