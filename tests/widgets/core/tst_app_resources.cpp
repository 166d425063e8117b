// resources/aqlm-studio.qrc, compiled in as the app does: the icon files are there and appIcon()
// (the window icon) is a real icon at every size the installer installs.
#include "widgets/core/app_icon.h"

#include <QFile>
#include <QtTest/QtTest>

class TestAppResources : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void iconFilesAreCompiledIn() {
        QVERIFY(QFile::exists(":/icons/aqlm-studio.svg"));
        for (int size : {16, 24, 32, 48, 64, 128, 256, 512}) {
            const QString png = QStringLiteral(":/icons/aqlm-studio-%1.png").arg(size);
            QVERIFY2(QFile::exists(png), qPrintable(png));
            QCOMPARE(QImage(png).size(), QSize(size, size));
        }
    }

    void appIconIsNotNull() {
        const QIcon icon = aqlm::ui::appIcon();
        QVERIFY(!icon.isNull());
        QVERIFY(icon.availableSizes().contains(QSize(48, 48)));
        QVERIFY(icon.availableSizes().contains(QSize(256, 256)));
        const QPixmap pixmap = icon.pixmap(64, 64);
        QVERIFY(!pixmap.isNull());
        QVERIFY(!pixmap.toImage().allGray() || pixmap.toImage().pixelColor(32, 32).alpha() > 0);
    }
};

QTEST_MAIN(TestAppResources)
#include "tst_app_resources.moc"
