//! What calamine's errors mean, in Chinese: a sentence chosen by the error's variant,
//! with calamine's own English text after it in parentheses (for a bug report, or a
//! search).
//!
//! Input: an error from calamine. Output: `无法识别文件格式（Cannot detect file format）`.

use calamine::{Error, OdsError, XlsError, XlsbError, XlsxError};

/// The Chinese reason for `e`, with the original in parentheses.
pub(crate) fn reason(e: &Error) -> String {
    let original = crate::text::escaped(&e.to_string(), false).into_owned();
    format!("{}（{original}）", chinese(e))
}

/// A calamine error on its own variant type, as a sheet reader returns it.
pub(crate) fn reason_of(e: impl Into<Error>) -> String {
    reason(&e.into())
}

const DAMAGED: &str = "文件已损坏或不完整（例如只下载了一部分）";
const XML: &str = "工作簿内部的 XML 结构有误，文件可能已损坏，或由不规范的程序生成";
const NUMBER: &str = "工作簿中有无法识别的数字";
const PASSWORD: &str = "工作簿设有打开密码";
const PART: &str = "工作簿缺少必要的组成部分";
const NOT_SHEET: &str = "不是普通工作表（可能是图表页或宏表）";
const OTHER: &str = "工作簿中有无法读取的内容";

fn chinese(e: &Error) -> &'static str {
    match e {
        Error::Msg(m) if m.contains("detect") => {
            "无法识别文件格式：不是 Excel、WPS 或 LibreOffice 保存的工作簿"
        }
        Error::Io(_) => "读取文件时出错",
        Error::Xlsx(e) => xlsx(e),
        Error::Xlsb(e) => xlsb(e),
        Error::Xls(e) => xls(e),
        Error::Ods(e) => ods(e),
        Error::Vba(_) => "工作簿中的宏（VBA）无法读取",
        Error::Msg(_) | Error::De(_) => OTHER,
    }
}

fn xlsx(e: &XlsxError) -> &'static str {
    match e {
        XlsxError::Io(_) => "读取文件时出错",
        XlsxError::Zip(_) => DAMAGED,
        XlsxError::Xml(_)
        | XlsxError::XmlAttr(_)
        | XlsxError::XmlEof(_)
        | XlsxError::UnexpectedNode(_)
        | XlsxError::Encoding(_) => XML,
        XlsxError::Parse(_) | XlsxError::ParseFloat(_) | XlsxError::ParseInt(_) => NUMBER,
        XlsxError::FileNotFound(_) | XlsxError::RelationshipNotFound => PART,
        XlsxError::Alphanumeric(_)
        | XlsxError::NumericColumn(_)
        | XlsxError::RangeWithoutColumnComponent
        | XlsxError::RangeWithoutRowComponent
        | XlsxError::ColumnNumberOverflow
        | XlsxError::RowNumberOverflow
        | XlsxError::DimensionCount(_) => "工作簿中有超出 Excel 范围或写法有误的单元格位置",
        XlsxError::CellTAttribute(_) | XlsxError::CellError(_) => "工作簿中有无法识别的单元格类型",
        XlsxError::Unexpected(m) if m.contains("string index") => {
            "单元格引用的共享文字不存在，文件可能已损坏"
        }
        XlsxError::Password => PASSWORD,
        XlsxError::WorksheetNotFound(_) => "找不到该工作表",
        XlsxError::NotAWorksheet(_) => NOT_SHEET,
        XlsxError::Vba(_) => "工作簿中的宏（VBA）无法读取",
        _ => OTHER,
    }
}

fn xlsb(e: &XlsbError) -> &'static str {
    match e {
        XlsbError::Io(_) => "读取文件时出错",
        XlsbError::Zip(_) => DAMAGED,
        XlsbError::Xml(_) | XlsbError::XmlAttr(_) => XML,
        XlsbError::FileNotFound(_) => PART,
        XlsbError::Password => PASSWORD,
        XlsbError::WorksheetNotFound(_) => "找不到该工作表",
        _ => "二进制工作簿（.xlsb）中有无法读取的内容，可在 Excel 中另存为 .xlsx 后导入",
    }
}

fn xls(e: &XlsError) -> &'static str {
    match e {
        XlsError::Io(_) => "读取文件时出错",
        XlsError::Cfb(_) => DAMAGED,
        XlsError::Password => PASSWORD,
        XlsError::WorksheetNotFound(_) => "找不到该工作表",
        _ => "旧版工作簿（.xls）中有无法读取的内容，可在 Excel 或 WPS 中另存为 .xlsx 后导入",
    }
}

fn ods(e: &OdsError) -> &'static str {
    match e {
        OdsError::Io(_) => "读取文件时出错",
        OdsError::Zip(_) => DAMAGED,
        OdsError::Xml(_)
        | OdsError::XmlAttr(_)
        | OdsError::AttrError(_)
        | OdsError::EncodingError(_)
        | OdsError::Eof(_)
        | OdsError::Mismatch { .. } => XML,
        OdsError::Parse(_)
        | OdsError::ParseInt(_)
        | OdsError::ParseFloat(_)
        | OdsError::ParseBool(_) => NUMBER,
        OdsError::InvalidMime(_) => "不是 OpenDocument 电子表格（.ods）",
        OdsError::FileNotFound(_) => PART,
        OdsError::Password => PASSWORD,
        OdsError::WorksheetNotFound(_) => "找不到该工作表",
        OdsError::CellLimitExceeded { .. } => "工作表的单元格太多",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_first_the_original_in_parentheses() {
        assert_eq!(
            reason(&Error::Msg("Cannot detect file format")),
            "无法识别文件格式：不是 Excel、WPS 或 LibreOffice 保存的工作簿（Cannot detect file format）"
        );
        let float = "x".parse::<f64>().unwrap_err();
        assert_eq!(
            reason_of(XlsxError::ParseFloat(float)),
            "工作簿中有无法识别的数字（Xlsx error: Parse float error: invalid float literal）"
        );
        assert_eq!(
            reason_of(XlsxError::Unexpected(
                "Cell string index not found in shared strings table"
            )),
            "单元格引用的共享文字不存在，文件可能已损坏（Xlsx error: Cell string index not found in shared strings table）"
        );
    }
}
