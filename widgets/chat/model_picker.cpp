#include "widgets/chat/model_picker.h"

#include <QSignalBlocker>
#include <QStandardItemModel>

namespace aqlm::ui {

namespace {
constexpr int kIdRole = Qt::UserRole;
constexpr int kPathRole = Qt::UserRole + 1;
constexpr int kNameRole = Qt::UserRole + 2;
}  // namespace

ModelPicker::ModelPicker(QWidget* parent) : QComboBox(parent) {
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumContentsLength(12);  // small screens: side by side needs two of these in one row
    connect(this, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        if (currentModelId() > 0) Q_EMIT modelChosen(currentModelId(), currentModelPath());
    });
}

void ModelPicker::refresh(const aqlm::ModelLibrary& library) {
    const qint64 previous = currentModelId();
    const QSignalBlocker blocker(this);
    clear();
    auto* model = qobject_cast<QStandardItemModel*>(this->model());
    auto addHeading = [&](const QString& text) {
        auto* item = new QStandardItem(text);
        item->setFlags(Qt::NoItemFlags);
        QFont font = item->font();
        font.setBold(true);
        item->setFont(font);
        model->appendRow(item);
    };
    auto addModel = [&](const aqlm::ModelRecord& m, const QString& label) {
        addItem(label);
        setItemData(count() - 1, qint64(m.id), kIdRole);
        setItemData(count() - 1, QString::fromStdString(m.path), kPathRole);
        setItemData(count() - 1, QString::fromStdString(m.name), kNameRole);
        setItemData(count() - 1, QString::fromStdString(m.path), Qt::ToolTipRole);
    };
    std::vector<aqlm::ModelRecord> originals, compressed;
    for (const aqlm::ModelRecord& m : library.listModels())
        (library.findVariantOf(m.id) ? compressed : originals).push_back(m);
    if (!originals.empty()) addHeading(tr("Original models"));
    for (const auto& m : originals) addModel(m, QString::fromStdString(m.name));
    if (!compressed.empty()) addHeading(tr("Compressed models"));
    for (const auto& m : compressed) {
        const aqlm::VariantRecord v = *library.findVariantOf(m.id);
        addModel(m, tr("%1 (%2 %3, %4 bits)")
                        .arg(QString::fromStdString(m.name), QString::fromStdString(v.method),
                             QString::fromStdString(v.scheme))
                        .arg(v.avgBits, 0, 'f', 2));
    }
    if (previous > 0 && selectModel(previous)) return;
    setCurrentIndex(-1);
}

qint64 ModelPicker::currentModelId() const {
    return currentIndex() < 0 ? 0 : itemData(currentIndex(), kIdRole).toLongLong();
}

QString ModelPicker::currentModelPath() const {
    return currentIndex() < 0 ? QString() : itemData(currentIndex(), kPathRole).toString();
}

QString ModelPicker::currentModelName() const {
    return currentIndex() < 0 ? QString() : itemData(currentIndex(), kNameRole).toString();
}

bool ModelPicker::selectModel(qint64 modelId) {
    const int index = findData(modelId, kIdRole);
    if (index < 0) return false;
    setCurrentIndex(index);
    return true;
}

QString ModelPicker::nameOf(qint64 modelId) const {
    const int index = findData(modelId, kIdRole);
    return index < 0 ? QString() : itemData(index, kNameRole).toString();
}

}  // namespace aqlm::ui
