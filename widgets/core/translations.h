#pragma once
// The UI languages. Each translation is compiled into the binary (qt_add_translations puts
// aqlmstudio_<lang>.qm under :/i18n); Qt's own strings (standard buttons, file dialogs) come from the
// system's qtbase_<lang>.qm when the qt6-translations-l10n package is installed.
#include <QString>
#include <QStringList>

namespace aqlm::ui {

// Locale names with a translation ("de", "zh_CN"), English ("en") first: the source language.
QStringList availableLanguages();
// The language's own name for itself ("Deutsch", "简体中文"), for the settings combo box.
QString languageNativeName(const QString& language);

// Installs the translators for language ("" = the system locale) into the application, replacing
// ones installed earlier. Returns the language actually in effect ("en" when none matched). Widgets
// built afterwards show the new language; AQLM Studio applies a change on restart.
QString installTranslations(const QString& language);

}  // namespace aqlm::ui
