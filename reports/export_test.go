package reports

// TextWidth is textWidth, for the label tests of package reports_test.
var TextWidth = textWidth
