#include "widgets/core/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace aqlm::ui {

namespace {
// Installed translators; replaced when the language changes. QCoreApplication does not own them.
std::unique_ptr<QTranslator> g_appTranslator;
std::unique_ptr<QTranslator> g_qtTranslator;

QString resolve(const QString& language) {
    const QStringList known = availableLanguages();
    if (known.contains(language)) return language;
    if (!language.isEmpty()) return QStringLiteral("en");
    // The system locale: "de_AT" -> "de", "zh_CN" -> "zh_CN", "zh_TW" has no translation -> "en".
    const QLocale system;
    const QString name = system.name();
    if (known.contains(name)) return name;
    const QString base = name.section(QLatin1Char('_'), 0, 0);
    if (base != QLatin1String("zh") && known.contains(base)) return base;
    return QStringLiteral("en");
}
}  // namespace

QStringList availableLanguages() {
    return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("zh_CN")};
}

QString languageNativeName(const QString& language) {
    if (language == QLatin1String("de")) return QStringLiteral("Deutsch");
    if (language == QLatin1String("zh_CN")) return QStringLiteral("简体中文");
    return QStringLiteral("English");
}

QString installTranslations(const QString& language) {
    if (g_appTranslator) QCoreApplication::removeTranslator(g_appTranslator.get());
    if (g_qtTranslator) QCoreApplication::removeTranslator(g_qtTranslator.get());
    g_appTranslator.reset();
    g_qtTranslator.reset();

    const QString effective = resolve(language);
    if (effective == QLatin1String("en")) return effective;

    auto app = std::make_unique<QTranslator>();
    if (!app->load(QStringLiteral(":/i18n/aqlmstudio_%1.qm").arg(effective))) return QStringLiteral("en");
    QCoreApplication::installTranslator(app.get());
    g_appTranslator = std::move(app);

    auto qt = std::make_unique<QTranslator>();
    if (qt->load(QStringLiteral("qtbase_%1").arg(effective), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        g_qtTranslator = std::move(qt);
    }
    return effective;
}

}  // namespace aqlm::ui
