#include "widgets/settings/settings_dialog.h"

#include "widgets/core/app_settings.h"

#include "engine/api/engine_facade.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QThread>
#include <QVBoxLayout>

namespace aqlm::ui {

EngineCapabilities EngineCapabilities::query() {
    return {aqlm::cudaAvailable(), QString::fromStdString(aqlm::engineBuildInfo())};
}

SettingsDialog::SettingsDialog(QWidget* parent) : SettingsDialog(EngineCapabilities::query(), parent) {}

SettingsDialog::SettingsDialog(const EngineCapabilities& capabilities, QWidget* parent)
    : QDialog(parent), m_capabilities(capabilities) {
    setWindowTitle(tr("Settings"));
    auto* form = new QFormLayout;

    m_threads = new QSpinBox(this);
    m_threads->setRange(0, 1024);
    m_threads->setSpecialValueText(tr("all cores (%1)").arg(QThread::idealThreadCount()));
    form->addRow(tr("Threads"), m_threads);

    m_device = new QComboBox(this);
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
    if (!m_capabilities.cudaAvailable) {
        auto* model = qobject_cast<QStandardItemModel*>(m_device->model());
        model->item(1)->setEnabled(false);
        model->item(1)->setToolTip(tr("This engine was built without CUDA or no GPU is present."));
    }
    form->addRow(tr("Device"), m_device);

    auto* folderRow = new QHBoxLayout;
    m_dataFolder = new QLineEdit(this);
    auto* browse = new QPushButton(tr("Browse…"), this);
    folderRow->addWidget(m_dataFolder, 1);
    folderRow->addWidget(browse);
    form->addRow(tr("Data folder"), folderRow);
    auto* folderNote = new QLabel(tr("Holds the model library and compressed models; a new folder is used after restart."), this);
    folderNote->setWordWrap(true);
    form->addRow(QString(), folderNote);

    m_language = new QComboBox(this);
    m_language->addItem(tr("System default"), QString());
    // Language names in their own language, so anyone can find theirs.
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    form->addRow(tr("Language"), m_language);
    form->addRow(QString(), new QLabel(tr("The language takes effect after restart."), this));

    auto* engine = new QLabel(m_capabilities.buildInfo, this);
    engine->setWordWrap(true);
    engine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Engine"), engine);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::chooseDataFolder);
    load();
}

int SettingsDialog::threads() const { return m_threads->value(); }
QString SettingsDialog::device() const { return m_device->currentData().toString(); }
QString SettingsDialog::dataFolder() const { return m_dataFolder->text().trimmed(); }
QString SettingsDialog::language() const { return m_language->currentData().toString(); }
bool SettingsDialog::isCudaSelectable() const {
    return qobject_cast<QStandardItemModel*>(m_device->model())->item(1)->isEnabled();
}

void SettingsDialog::setThreads(int threads) { m_threads->setValue(threads); }

void SettingsDialog::setDevice(const QString& device) {
    // A stored "cuda" on a machine without CUDA shows (and saves) CPU: that is what will run.
    const bool cuda = device == QStringLiteral("cuda") && m_capabilities.cudaAvailable;
    m_device->setCurrentIndex(cuda ? 1 : 0);
}

void SettingsDialog::setDataFolder(const QString& folder) { m_dataFolder->setText(folder); }

void SettingsDialog::setLanguage(const QString& language) {
    const int index = m_language->findData(language);
    m_language->setCurrentIndex(index < 0 ? 0 : index);
}

void SettingsDialog::load() {
    setThreads(AppSettings::threads());
    setDevice(AppSettings::device());
    setDataFolder(AppSettings::dataFolder());
    setLanguage(AppSettings::language());
}

void SettingsDialog::save() {
    AppSettings::setThreads(threads());
    AppSettings::setDevice(device());
    if (!dataFolder().isEmpty()) AppSettings::setDataFolder(dataFolder());
    AppSettings::setLanguage(language());
}

void SettingsDialog::accept() {
    save();
    QDialog::accept();
}

void SettingsDialog::chooseDataFolder() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Data folder"), dataFolder());
    if (!folder.isEmpty()) setDataFolder(folder);
}

}  // namespace aqlm::ui
